/**
 * The devnet's alert story: a local mail catcher (maildev, web inbox) and a demo subscription made the way a reader
 * makes one: POST to the watcher, then open the confirmation link from the mail in the inbox.
 */
import { MailDev } from "maildev";
import { waitFor } from "../../lib/devnet/chain-ops";

export const MAIL_SMTP_PORT = 1025;
export const MAIL_WEB_PORT = 1080;
export const DEMO_INBOX = "demo@soft-landing.test";

export async function startMailCatcher(): Promise<{ smtpUrl: string; inboxUrl: string; stop(): Promise<void> }> {
  const maildev = new MailDev({ smtp: MAIL_SMTP_PORT, web: MAIL_WEB_PORT, ip: "127.0.0.1", webIp: "127.0.0.1", silent: true });
  await maildev.start();
  return { smtpUrl: `smtp://127.0.0.1:${MAIL_SMTP_PORT}`, inboxUrl: `http://127.0.0.1:${MAIL_WEB_PORT}`, stop: () => maildev.stop() };
}

interface InboxMail {
  subject?: string;
  text?: string;
  to?: { address: string }[];
}

/** Subscribes `email` to `account`'s alerts and confirms it through the inbox, as its owner would. */
export async function subscribeDemo(watcherUrl: string, inboxUrl: string, account: string, email = DEMO_INBOX): Promise<void> {
  const res = await fetch(`${watcherUrl}/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account, email }),
  });
  if (res.status !== 202) throw new Error(`subscribing ${email} to ${account} failed: HTTP ${res.status} ${await res.text()}`);
  const link = await waitFor(
    `the confirmation mail for ${account} in the inbox`,
    async () => {
      const mails = (await (await fetch(`${inboxUrl}/api/email`)).json()) as InboxMail[] | { emails?: InboxMail[] };
      const list = Array.isArray(mails) ? mails : (mails.emails ?? []);
      const mail = list.find((m) => m.subject?.startsWith("Confirm alerts") && m.text?.includes(account.toLowerCase()));
      return mail?.text ? /(http:\/\/\S+\/subscriptions\/confirm\?token=\S+)/.exec(mail.text)?.[1] : undefined;
    },
    20_000,
  );
  const confirmed = await fetch(link);
  if (confirmed.status !== 200) throw new Error(`confirming ${email} failed: HTTP ${confirmed.status}`);
}
