// Where Apicurio Registry 3.x's Confluent-compatible API (ccompat/v7) differs from Confluent's
// documented REST API. The node is written to Confluent's behaviour; each test here pins down what
// Apicurio actually does (asserted) against what Confluent documents (in the comment), so a change
// on either side shows up as a failing test rather than a silent surprise.
import { clientPool } from '../../../nodes/shared';
import { avroRecord, raw, run1, unique } from './harness';

const register = (subject: string, schema: string) => raw('POST', `/subjects/${subject}/versions`, { schema });

describe('Apicurio ccompat API vs Confluent Schema Registry', () => {
  afterAll(async () => {
    await clientPool.closeAll();
  });

  it('mode: Apicurio has no global /mode and ignores subject modes; the node reports "not supported"', async () => {
    const subject = unique('mode-value');
    await register(subject, JSON.stringify({ type: 'string' }));
    // Confluent: GET /mode -> 200 {"mode":"READWRITE"}. Apicurio: 404 (no such endpoint).
    expect((await raw('GET', '/mode')).status).toBe(404);
    // Confluent: GET /mode/{subject} -> 200 {"mode":...}; PUT -> 200 {"mode":"READONLY"}.
    // Apicurio: 204 with an empty body for both, and READONLY is not enforced.
    const get = await raw('GET', `/mode/${subject}`);
    expect(get).toMatchObject({ status: 204, text: '' });
    const put = await raw('PUT', `/mode/${subject}`, { mode: 'READONLY' });
    expect(put).toMatchObject({ status: 204, text: '' });
    const stillWritable = await register(subject, JSON.stringify({ type: 'string', doc: 'registered while "READONLY"' }));
    expect(stillWritable.status).toBe(200);

    await expect(run1({ resource: 'mode', operation: 'get', scope: 'global' })).rejects.toThrow(
      'This schema registry does not support modes: GET /mode answered HTTP 404',
    );
    await expect(run1({ resource: 'mode', operation: 'get', scope: 'subject', subject })).rejects.toThrow(
      `This schema registry does not support modes: GET /mode/${subject} answered without a mode`,
    );
    await expect(run1({ resource: 'mode', operation: 'set', scope: 'subject', subject, mode: 'READONLY' })).rejects.toThrow(
      `This schema registry does not support modes: PUT /mode/${subject} answered without confirming the mode`,
    );
    await expect(run1({ resource: 'mode', operation: 'set', scope: 'global', mode: 'READWRITE' })).rejects.toThrow(/does not support modes: PUT \/mode answered HTTP 404/);
  });

  it('compatibility check: Apicurio ignores ?verbose=true and gives no messages; the node explains locally', async () => {
    const subject = unique('verbose-value');
    await raw('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' });
    await register(subject, avroRecord('V', [{ name: 'a', type: 'string' }]));
    const next = avroRecord('V', [{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]);
    // Confluent: {"is_compatible":false,"messages":["...READER_FIELD_MISSING_DEFAULT_VALUE...b..."]}.
    // Apicurio: {"is_compatible":false} only.
    const answer = await raw('POST', `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: next });
    expect(answer).toMatchObject({ status: 200, body: { is_compatible: false } });
    expect(answer.body.messages).toBeUndefined();
    const checked = await run1({ resource: 'schema', operation: 'checkCompatibility', subject, against: 'latest', schemaType: 'AVRO', schema: next });
    expect(checked).toMatchObject({ compatible: false, registryMessages: [], explanationSource: 'local' });
    expect(checked.messages).toEqual(['BACKWARD: field "b" (int) was added without a default, so records written with the old schema have no value for it']);
    // Apicurio does name the diff when it refuses a registration (HTTP 409), in its own words.
    const refused = await register(subject, next);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/Incompatible artifact: .*list of diff types: \[b at \/fields\/1\]/);
  });

  it('config: Apicurio answers "compatibilityLevel" to PUT and falls back to global without being asked', async () => {
    const subject = unique('config-value');
    await register(subject, JSON.stringify({ type: 'string' }));
    // Confluent: GET /config/{subject} without a subject level -> 404 error 40408 unless
    // ?defaultToGlobal=true. Apicurio: 200 with the global level either way.
    const noSubjectLevel = await raw('GET', `/config/${subject}`);
    expect(noSubjectLevel.status).toBe(200);
    expect(noSubjectLevel.body.compatibilityLevel).toMatch(/^[A-Z_]+$/);
    // Confluent: PUT /config/{subject} -> {"compatibility":"FULL"}. Apicurio: {"compatibilityLevel":"FULL"}.
    const put = await raw('PUT', `/config/${subject}`, { compatibility: 'FULL' });
    expect(put.body).toEqual({ compatibilityLevel: 'FULL' });
    expect(await run1({ resource: 'compatibility', operation: 'set', scope: 'subject', subject, level: 'FULL' })).toMatchObject({ compatibility: 'FULL' });
    // Confluent: an invalid level -> 422 error 42203. Apicurio: 500 error_code 0 (the node refuses it before sending).
    const invalid = await raw('PUT', `/config/${subject}`, { compatibility: 'SIDEWAYS' });
    expect(invalid).toMatchObject({ status: 500, body: { error_code: 0 } });
    // Confluent: setting NONE globally always succeeds. Apicurio stores NONE as "no rule"; setting
    // NONE where no rule exists answers 404 (globally "No rule named 'COMPATIBILITY'", for a
    // subject that has no versions yet error 40401).
    const subjectWithoutVersions = unique('config-empty');
    expect(await raw('PUT', `/config/${subjectWithoutVersions}`, { compatibility: 'NONE' })).toMatchObject({ status: 404, body: { error_code: 40401 } });
    const global = await raw('GET', '/config');
    if (global.body.compatibilityLevel === 'NONE') {
      expect(await raw('PUT', '/config', { compatibility: 'NONE' })).toMatchObject({ status: 404, body: { message: "No rule named 'COMPATIBILITY' was found." } });
    }
  });

  it('deletes: hard delete before soft delete is refused with error 40405 but HTTP 409; ?deleted=true listing works', async () => {
    const subject = unique('hard-value');
    await register(subject, JSON.stringify({ type: 'string' }));
    // Confluent: HTTP 404 with error 40405 "must be soft deleted first". Apicurio: the same error
    // code but HTTP 409. (The node checks for a prior soft delete itself before sending.)
    const early = await raw('DELETE', `/subjects/${subject}?permanent=true`);
    expect(early).toMatchObject({ status: 409, body: { error_code: 40405, message: `Subject ${subject} must be soft deleted first` } });
    expect((await raw('GET', '/subjects')).body).toContain(subject);
    expect((await raw('DELETE', `/subjects/${subject}`)).body).toEqual([1]);
    // Same as Confluent: soft-deleted subjects appear only with ?deleted=true.
    expect((await raw('GET', '/subjects')).body).not.toContain(subject);
    expect((await raw('GET', '/subjects?deleted=true')).body).toContain(subject);
    // Same as Confluent: the soft-deleted subject's versions answer 40401 unless ?deleted=true.
    expect((await raw('GET', `/subjects/${subject}/versions`)).body.error_code).toBe(40401);
    expect((await raw('GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1]);
    expect((await raw('DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([1]);
  });
});
