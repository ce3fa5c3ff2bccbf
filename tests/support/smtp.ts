// A real SMTP listener (the smtp-server package) for the email tests and benchmarks.
import { SMTPServer } from "smtp-server";

export interface Received {
  to: string[];
  raw: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: Received[];
  close(): Promise<void>;
}

/** A real SMTP listener on 127.0.0.1; rejects recipients at bounce.example with 550. */
export function startSmtp(messages: Received[], port = 0): Promise<SmtpSink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith("@bounce.example")) {
        return callback(Object.assign(new Error("No such user here"), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        messages.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const actual = (server.server.address() as { port: number }).port;
      resolve({
        url: `smtp://127.0.0.1:${actual}`,
        port: actual,
        messages,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
