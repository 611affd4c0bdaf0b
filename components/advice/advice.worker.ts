/// <reference lib="webworker" />
import { adviseHealth, simulatePaths, type AdviceQuestion, type PathModel, type PathSet } from "@/lib/risk";

export interface AdviceRequest {
  id: number;
  model: PathModel;
  question: AdviceQuestion;
}

// Paths depend on the market's model only: drawn once, then every position and every keystroke reuses them.
const drawn = new Map<string, PathSet>();

/** Draws price paths and answers advice questions off the main thread; the page stays responsive while it works. */
self.onmessage = (event: MessageEvent<AdviceRequest>) => {
  const { id, model, question } = event.data;
  const key = JSON.stringify(model);
  let set = drawn.get(key);
  if (!set) {
    const made = simulatePaths(model);
    if ("ok" in made) {
      self.postMessage({ id, error: made.message });
      return;
    }
    drawn.clear(); // one model at a time: a set is a few MB
    drawn.set(key, made);
    set = made;
  }
  self.postMessage({ id, advice: adviseHealth(set, question) });
};
