/**
 * Real peers for the watcher's tests and benchmark: an SMTP server (smtp-server) that parses what it accepts, and a
 * loopback HTTP server that records webhook deliveries. Nothing is mocked: the watcher speaks SMTP and HTTP to them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** Header values as sent (lowercase names; the last of a repeated header). */
  headers: Map<string, string>;
  receivedAt: number;
}

export interface MailSink {
  url: string;
  mails: ReceivedMail[];
  /** Called before a mail is accepted; throwing refuses it (the sender sees a failure). */
  beforeAccept?: (mail: ReceivedMail) => void | Promise<void>;
  close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const sink: MailSink = {
    url: "",
    mails: [],
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address).join(","),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            messageId: parsed.messageId ?? "",
            headers: new Map(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()])),
            receivedAt: Date.now(),
          };
          await sink.beforeAccept?.(mail);
          sink.mails.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  return sink;
}

export interface WebhookCall {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
  receivedAt: number;
}

export interface WebhookSink {
  url: string;
  calls: WebhookCall[];
  /** HTTP status to answer with (200 unless a test wants failures). */
  status: number;
  /** Milliseconds to hold each alert delivery (not pings) before answering. */
  holdMs: number;
  /** Requests received and not answered yet. */
  held: number;
  /** While true, held deliveries are not answered (they wait, or die with their connection). */
  paused: boolean;
  /** Deliveries answered (the sender had its 2xx), in order. */
  answered: WebhookCall[];
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const sink: WebhookSink = { url: "", calls: [], status: 200, holdMs: 0, held: 0, paused: false, answered: [], close: async () => {} };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* recorded as is */
      }
      const call = { headers: req.headers, body, json: parsed, receivedAt: Date.now() };
      sink.calls.push(call);
      const hold = parsed.kind === "ping" ? 0 : sink.holdMs;
      sink.held += 1;
      const answer = () => {
        if (sink.paused && !req.socket.destroyed) {
          setTimeout(answer, 50);
          return;
        }
        sink.held -= 1;
        // A sender that went away meanwhile never gets the answer: the delivery did not happen.
        if (req.socket.destroyed) return;
        res.writeHead(sink.status, { "content-type": "text/plain" }).end("ok", () => {
          if (sink.status >= 200 && sink.status < 300) sink.answered.push(call);
        });
      };
      setTimeout(answer, hold);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}
