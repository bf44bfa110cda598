import * as fs from 'fs';
import * as path from 'path';

/** The folder where the server under test writes its mails (no SMTP in the browser tests). */
export function mailDir(): string {
  const dataDir = process.env.E2E_DATA_DIR ?? path.resolve(__dirname, '../../data/e2e');
  return path.join(dataDir, 'mail');
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Waits for the mail to `address` (the outbox worker polls every two seconds) and returns its text. */
export async function waitForMail(address: string, subjectPart: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(mailDir())) {
      for (const file of fs.readdirSync(mailDir()).filter((f) => f.endsWith('.eml'))) {
        const raw = decodeQuotedPrintable(fs.readFileSync(path.join(mailDir(), file), 'utf8'));
        if (raw.includes(address) && raw.includes(subjectPart)) return raw;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${address} about "${subjectPart}" within ${timeoutMs} ms`);
}

/** The first link to this site in a mail that goes to `pathPart`. */
export function linkIn(mail: string, pathPart: string): string {
  const match = mail.match(new RegExp(`https?://[^\\s"<>]*${pathPart}[^\\s"<>]*`));
  if (!match) throw new Error(`no ${pathPart} link in the mail`);
  return match[0];
}
