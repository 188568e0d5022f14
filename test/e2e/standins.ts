// Local stand-ins for the outside services the shipped workflows talk to, recording every request:
//   - Slack: n8n's Slack node calls https://slack.com/api/... (no base URL setting). n8n sends
//     outgoing HTTPS through HTTPS_PROXY (proxy-from-env), so the stand-in is a CONNECT proxy that
//     answers TLS for slack.com itself, with a certificate from a throwaway CA the n8n under test
//     trusts through NODE_EXTRA_CA_CERTS. Anything else asked of the proxy is recorded and refused.
//   - SMTP: a minimal SMTP server (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA) that keeps each message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

export interface SlackCall {
  host: string;
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: any;
}

export interface SlackStandIn {
  proxyUrl: string;
  caFile: string;
  calls: SlackCall[];
  /** CONNECT targets other than slack.com:443 (refused). */
  refused: string[];
  stop(): Promise<void>;
}

function makeCertificates(dir: string, host: string): { caFile: string; key: Buffer; cert: Buffer } {
  const f = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=kafka-suite e2e stand-in CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('host.key'), '-out', f('host.csr'), '-subj', `/CN=${host}`]);
  writeFileSync(f('host.ext'), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', f('host.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('host.pem'), '-days', '2', '-extfile', f('host.ext')]);
  return { caFile: f('ca.pem'), key: readFileSync(f('host.key')), cert: readFileSync(f('host.pem')) };
}

const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kafka-suite-slack-'));
  const { caFile, key, cert } = makeCertificates(dir, 'slack.com');
  const calls: SlackCall[] = [];
  const refused: string[] = [];
  let seq = 0;

  // Slack's Web API answers 200 with { ok } for every method; chat.postMessage echoes the message.
  const api = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = Object.fromEntries(new URLSearchParams(raw));
      }
      calls.push({ host: String(req.headers.host), method: req.method!, path: req.url!, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
      const answer = req.url!.startsWith('/api/chat.postMessage')
        ? { ok: true, channel: 'C0KAFKASUITE', ts, message: { type: 'message', text: body?.text, ts, bot_id: 'B0KAFKASUITE' } }
        : { ok: false, error: 'unknown_method' };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
    });
  });

  const sockets = new Set<net.Socket>();
  const proxy = http.createServer((req, res) => {
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(502).end('only CONNECT slack.com:443 is served here');
  });
  proxy.on('connection', (s: net.Socket) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    if (req.url !== 'slack.com:443') {
      refused.push(`CONNECT ${req.url}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
    api.emit('connection', secure);
  });
  const port = await listen(proxy);
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    caFile,
    calls,
    refused,
    async stop() {
      for (const s of sockets) s.destroy();
      api.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Mail {
  from: string;
  to: string[];
  authUser: string | undefined;
  data: string;
  subject: string | undefined;
  text: string;
}

export interface SmtpStandIn {
  port: number;
  mails: Mail[];
  stop(): Promise<void>;
}

/** Headers and body of a plain-text message (nodemailer may use quoted-printable). */
function parseMessage(data: string): { subject?: string; text: string } {
  const [head, ...rest] = data.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim();
  let text = rest.join('\n\n');
  if (/quoted-printable/i.test(header('content-transfer-encoding') ?? '')) {
    text = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    text = Buffer.from(text, 'latin1').toString('utf8');
  } else if (/base64/i.test(header('content-transfer-encoding') ?? '')) {
    text = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { subject: header('subject'), text: text.replace(/\r\n/g, '\n').trim() };
}

export async function startSmtpStandIn(): Promise<SmtpStandIn> {
  const mails: Mail[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let mode: 'command' | 'data' | 'authLoginUser' | 'authLoginPass' = 'command';
    let mail: { from: string; to: string[]; data: string[] } = { from: '', to: [], data: [] };
    let authUser: string | undefined;
    reply('220 kafka-suite-smtp ESMTP stand-in');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (mode === 'data') {
          if (line === '.') {
            const data = mail.data.join('\r\n');
            const parsed = parseMessage(data);
            mails.push({ from: mail.from, to: mail.to, authUser, data, subject: parsed.subject, text: parsed.text });
            mail = { from: '', to: [], data: [] };
            mode = 'command';
            reply('250 2.0.0 queued');
          } else mail.data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        if (mode === 'authLoginUser') {
          authUser = Buffer.from(line, 'base64').toString('utf8');
          mode = 'authLoginPass';
          reply('334 UGFzc3dvcmQ6');
          continue;
        }
        if (mode === 'authLoginPass') {
          mode = 'command';
          reply('235 2.7.0 accepted');
          continue;
        }
        const [verb, ...args] = line.split(' ');
        const arg = args.join(' ');
        switch (verb.toUpperCase()) {
          case 'EHLO':
            socket.write('250-kafka-suite-smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
            break;
          case 'HELO':
            reply('250 kafka-suite-smtp');
            break;
          case 'AUTH': {
            const [mech, initial] = args;
            if (mech?.toUpperCase() === 'PLAIN' && initial) {
              authUser = Buffer.from(initial, 'base64').toString('utf8').split('\u0000')[1];
              reply('235 2.7.0 accepted');
            } else if (mech?.toUpperCase() === 'LOGIN') {
              mode = 'authLoginUser';
              reply('334 VXNlcm5hbWU6');
            } else reply('504 5.5.4 unsupported');
            break;
          }
          case 'MAIL':
            mail.from = arg.replace(/^FROM:\s*<([^>]*)>.*$/i, '$1');
            reply('250 2.1.0 ok');
            break;
          case 'RCPT':
            mail.to.push(arg.replace(/^TO:\s*<([^>]*)>.*$/i, '$1'));
            reply('250 2.1.5 ok');
            break;
          case 'DATA':
            mode = 'data';
            reply('354 end with <CRLF>.<CRLF>');
            break;
          case 'RSET':
            mail = { from: '', to: [], data: [] };
            reply('250 ok');
            break;
          case 'NOOP':
            reply('250 ok');
            break;
          case 'QUIT':
            reply('221 bye');
            socket.end();
            break;
          default:
            reply('502 5.5.2 not implemented');
        }
      }
    });
  });
  const port = await listen(server);
  return {
    port,
    mails,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
