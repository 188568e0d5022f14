'use strict';
// HTTP client for a running n8n 2.41.x: the internal /rest API (what the editor uses; cookie auth)
// and the public API (/api/v1; X-N8N-API-KEY). CommonJS so both scripts/n8n/harness.mjs and the
// Jest end-to-end tests (which cannot import ESM without --experimental-vm-modules) can use it.
//
//   const { createClient } = require('./client.cjs');
//   const n8n = createClient({ baseUrl: 'http://127.0.0.1:5679' });
//   await n8n.setupOwner({ email, password }); await n8n.createApiKey();
//   const wf = await n8n.createWorkflow(json); const run = await n8n.runManual(wf.id);
//   nodeOutput(run, 'Kafka Producer');
const { randomBytes } = require('node:crypto');

/** Waits for `check()` to return a truthy value, polling every `interval` ms, failing after `timeout` ms. */
async function waitFor(check, { timeout = 60000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      if (err && err.fatal) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** n8n's password rules: 8-64 characters with a digit and an uppercase letter. */
function generatePassword() {
  return `Ks-${randomBytes(9).toString('base64url')}9A`;
}

// Settings keys the public API accepts on POST /workflows (others are rejected as additional properties).
const WORKFLOW_SETTINGS = [
  'saveExecutionProgress', 'saveManualExecutions', 'saveDataErrorExecution', 'saveDataSuccessExecution',
  'executionTimeout', 'errorWorkflow', 'timezone', 'executionOrder', 'callerPolicy', 'callerIds',
];
const pick = (o, keys) => Object.fromEntries(Object.entries(o || {}).filter(([k]) => keys.includes(k)));

/** Items (their json) a node produced in an execution fetched with includeData. */
function nodeOutput(execution, nodeName, { output = 0, run = 0 } = {}) {
  const runData = (execution && execution.data && execution.data.resultData && execution.data.resultData.runData) || {};
  const runs = runData[nodeName];
  if (!runs) {
    const err = executionError(execution);
    throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(runData).join(', ') || 'nothing'}${err ? `; error: ${err}` : ''}`);
  }
  const r = runs[run];
  if (r && r.error) throw new Error(`node "${nodeName}" failed: ${r.error.message} ${r.error.description || ''}`);
  return ((r && r.data && r.data.main && r.data.main[output]) || []).map((item) => item.json);
}

/** The error of a failed execution as one line, or undefined. */
function executionError(execution) {
  const e = execution && execution.data && execution.data.resultData && execution.data.resultData.error;
  if (!e) return undefined;
  return `${e.message}${e.description ? ` (${e.description})` : ''}${e.node && e.node.name ? ` in node "${e.node.name}"` : ''}`;
}

const OUR_PACKAGE = /n8n-nodes-kafka-suite|kafka-?suite|kafkaSuite/i;

/**
 * Warning and error lines of an n8n log that mention `pattern` (default: this package, its node
 * and credential types, and the "[kafka-suite ...]" prefix of its kafkajs log bridge). Understands
 * N8N_LOG_FORMAT=json lines (level field) and plain text lines (warn/error words).
 */
function logProblems(text, pattern = OUR_PACKAGE) {
  const out = [];
  for (const line of String(text).split('\n')) {
    if (!line.trim() || !pattern.test(line)) continue;
    let entry;
    try {
      entry = line.trimStart().startsWith('{') ? JSON.parse(line) : undefined;
    } catch {
      entry = undefined;
    }
    if (entry && typeof entry.level === 'string') {
      if (/^(warn|warning|error|fatal|crit)/i.test(entry.level)) out.push(line);
    } else if (/\b(warn|warning|error|errors|fail|failed|failure|cannot|unable)\b/i.test(line)) {
      out.push(line);
    }
  }
  return out;
}

/**
 * Client for one n8n instance. `state` (from `client.state()`) lets another process (a Jest worker)
 * reuse the same login and API key.
 */
function createClient({ baseUrl, apiKey, cookies, browserId, owner } = {}) {
  const jar = new Map(Object.entries(cookies || {}));
  // n8n binds its auth cookie to the `browser-id` header sent at login; keep one per client.
  const bid = browserId || randomBytes(8).toString('hex');
  const client = { baseUrl, apiKey, owner };

  async function request(method, path, body, { headers = {}, auth = 'cookie' } = {}) {
    const h = { 'content-type': 'application/json', 'browser-id': bid, ...headers };
    if (auth === 'cookie' && jar.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (auth === 'apiKey') h['x-n8n-api-key'] = client.apiKey;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of (res.headers.getSetCookie && res.headers.getSetCookie()) || []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 2000)}`);
      err.status = res.status;
      err.body = json === undefined ? text : json;
      throw err;
    }
    return json;
  }

  Object.assign(client, {
    /** Internal API (/rest/...), cookie auth. Responses are n8n's `{ data }` envelopes. */
    rest: (method, path, body, opts) => request(method, path, body, opts),

    /** Public API (/api/v1/...), API-key auth. */
    async api(method, path, body) {
      if (!client.apiKey) throw new Error('no API key: call createApiKey() first');
      return request(method, `/api/v1${path}`, body, { auth: 'apiKey' });
    },

    state: () => ({ baseUrl, apiKey: client.apiKey, cookies: Object.fromEntries(jar), browserId: bid, owner: client.owner }),

    /** First-run owner setup (POST /rest/owner/setup); also logs in. */
    async setupOwner({ email = 'admin@kafka-suite.local', password = generatePassword(), firstName = 'Kafka', lastName = 'Suite' } = {}) {
      await request('POST', '/rest/owner/setup', { email, password, firstName, lastName });
      client.owner = { email, password };
      await client.login();
      return client.owner;
    },

    async login(email = client.owner && client.owner.email, password = client.owner && client.owner.password) {
      const res = await request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
      client.owner = { email, password };
      return res;
    },

    /** A public-API key with every scope the owner's role allows (GET /rest/api-keys/scopes). */
    async createApiKey(label = `kafka-suite-${Date.now()}`) {
      const scopes = (await request('GET', '/rest/api-keys/scopes')).data;
      const res = await request('POST', '/rest/api-keys', { label, scopes, expiresAt: null });
      client.apiKey = res.data.rawApiKey;
      return client.apiKey;
    },

    createCredential({ name, type, data }) {
      return client.api('POST', '/credentials', { name, type, data });
    },

    /** POST /api/v1/workflows with only the fields the public API accepts. */
    createWorkflow(wf) {
      const settings = { executionOrder: 'v1', ...pick(wf.settings, WORKFLOW_SETTINGS) };
      return client.api('POST', '/workflows', { name: wf.name, nodes: wf.nodes, connections: wf.connections || {}, settings });
    },

    getWorkflow: (id) => client.api('GET', `/workflows/${id}`),
    deleteWorkflow: (id) => client.api('DELETE', `/workflows/${id}`),

    /** Publishes (n8n 1.x: "activates") a workflow so its triggers run. */
    publish: (id) => client.api('POST', `/workflows/${id}/publish`, {}),
    unpublish: (id) => client.api('POST', `/workflows/${id}/unpublish`, {}),

    /** Executions (with data), newest first. */
    async executions({ workflowId, status, limit = 100 } = {}) {
      const q = new URLSearchParams({ includeData: 'true', limit: String(limit) });
      if (workflowId) q.set('workflowId', String(workflowId));
      if (status) q.set('status', status);
      return (await client.api('GET', `/executions?${q}`)).data;
    },

    /** One execution with data; by default waits until it has finished. */
    async execution(id, { wait = true, timeout = 120000 } = {}) {
      const get = () => client.api('GET', `/executions/${id}?includeData=true`);
      if (!wait) return get();
      return waitFor(
        async () => {
          const e = await get();
          return e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status) ? e : undefined;
        },
        { timeout, interval: 300, what: `execution ${id} to finish` },
      );
    },

    /**
     * Runs a workflow from its Manual Trigger like the editor's "Execute workflow" button
     * (POST /rest/workflows/:id/run) and returns the finished execution with its data.
     */
    async runManual(id, { timeout = 120000, trigger } = {}) {
      const wf = await client.getWorkflow(id);
      const manual = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
      const start = trigger || (manual && manual.name);
      if (!start) throw new Error(`workflow ${id} has no Manual Trigger`);
      const res = await request('POST', `/rest/workflows/${id}/run`, { triggerToStartFrom: { name: start } });
      const executionId = res && res.data && res.data.executionId;
      if (!executionId) throw new Error(`run of workflow ${id} did not start: ${JSON.stringify(res)}`);
      return client.execution(executionId, { timeout });
    },

    /** Node types n8n has loaded (internal API; what the editor's node panel lists). */
    async nodeTypes() {
      const res = await request('GET', '/types/nodes.json');
      return res;
    },
  });
  return client;
}

module.exports = { logProblems, OUR_PACKAGE, createClient, waitFor, generatePassword, nodeOutput, executionError, WORKFLOW_SETTINGS };
