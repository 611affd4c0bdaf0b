/// <reference lib="webworker" />
import { forecast, type ForecastInput } from "@/lib/risk";

/** Runs the Monte Carlo forecast off the main thread; the page stays responsive while sliders move. */
self.onmessage = (event: MessageEvent<{ id: number; input: ForecastInput }>) => {
  const { id, input } = event.data;
  const started = performance.now();
  const result = forecast(input);
  self.postMessage({ id, result, ms: performance.now() - started });
};
