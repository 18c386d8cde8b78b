// Writes CallFunctions.Tests/Corpus/hostile.jsonl: request bodies that no sender but a broken or hostile one would
// post to the webhook. Every one is unusable as a whole (each notification in it is bad, or the envelope is), so the
// handler must answer each with a 4xx, call nothing and record nothing. Run once: node scripts/make-corpus.mjs
// A line is {"name", "body"} (UTF-8 text), {"name", "base64"} (raw bytes), or {"name", "parts": [[text, times], …]}
// (each text repeated, in order: large bodies stay small in the file).
import { readFileSync, writeFileSync } from 'node:fs';

const ENV = '#microsoft.graph.commsNotifications';
const CALL = '491f0b00-ffff-4bc9-a43e-b226498ec22a';
const sample = JSON.parse(readFileSync(new URL('../samples/incoming-pstn.json', import.meta.url), 'utf8'));
const terminated = JSON.parse(readFileSync(new URL('../samples/terminated-5002-real.json', import.meta.url), 'utf8'));
const incomingItem = () => structuredClone(sample.value[0]);
const terminatedItem = () => structuredClone(terminated.value[0]);
const envelope = (...items) => JSON.stringify({ '@odata.type': ENV, value: items });

const corpus = [];
const add = (name, body) => corpus.push({ name, body });
const bytes = (name, buffer) => corpus.push({ name, base64: Buffer.from(buffer).toString('base64') });
const parts = (name, ...pieces) => corpus.push({ name, parts: pieces.map((p) => (typeof p === 'string' ? [p, 1] : p)) });

/** The incoming-call item with one field set (undefined deletes it). */
function mutate(base, path, value) {
  const item = base();
  const keys = path.split('.');
  let node = item;
  for (const key of keys.slice(0, -1)) node = node[key];
  const last = keys.at(-1);
  if (value === undefined) delete node[last]; else node[last] = value;
  return item;
}
const long = (n) => 'x'.repeat(n);

// 1. Not a JSON object at all.
for (const [name, body] of [
  ['null', 'null'], ['true', 'true'], ['false', 'false'], ['zero', '0'], ['negative', '-1'], ['huge exponent', '1e999'],
  ['string', '"value"'], ['empty array', '[]'], ['array of numbers', '[1,2,3]'], ['array of objects', '[{}]'],
  ['array holding an envelope', `[${envelope(incomingItem())}]`], ['event grid style array', '[{"eventType":"x","data":{}}]'],
]) add(`top level: ${name}`, body);

// 2. Broken JSON text.
const minified = JSON.stringify(sample);
for (let i = 0; i < 40; i++) {
  const at = Math.floor((minified.length - 1) * (i + 0.5) / 40);
  add(`truncated at ${at} of ${minified.length}`, minified.slice(0, at));
}
for (const [name, body] of [
  ['empty', ''], ['spaces', '   \r\n\t '], ['trailing comma in object', `{"@odata.type":"${ENV}","value":[],}`],
  ['trailing comma in array', `{"@odata.type":"${ENV}","value":[1,]}`], ['line comment', `// hi\n{"value":[]}`],
  ['block comment', `{/* hi */"value":[]}`], ['single quotes', `{'value':[]}`], ['unquoted key', '{value:[]}'],
  ['NaN', `{"@odata.type":"${ENV}","value":[NaN]}`], ['Infinity', `{"@odata.type":"${ENV}","value":[Infinity]}`],
  ['raw control character in string', `{"@odata.type":"${ENV}\u0001","value":[]}`],
  ['raw newline in string', `{"@odata.type":"${ENV}","value":[{"changeType":"crea\nted"}]}`],
  ['bad escape', `{"@odata.type":"${ENV}","value":["\\x41"]}`], ['short unicode escape', `{"value":["\\u12"]}`],
  ['extra closing brace', `{"@odata.type":"${ENV}","value":[]}}`], ['two documents', `{"value":[]}{"value":[]}`],
  ['trailing garbage', `${minified}x`], ['leading garbage', `x${minified}`], ['only a brace', '{'], ['only a bracket', '['],
  ['unterminated string', '{"value'], ['hex number', `{"value":[0x10]}`], ['leading zero number', `{"value":[012]}`],
  ['plus sign number', `{"value":[+1]}`], ['undefined literal', `{"value":undefined}`], ['python None', `{"value":None}`],
  ['xml', '<?xml version="1.0"?><notifications/>'], ['form body', 'value=1&changeType=created'],
]) add(`broken json: ${name}`, body);

// 3. Bytes that are not UTF-8 JSON.
const pstnBytes = Buffer.from(minified, 'utf8');
bytes('utf-16le body', Buffer.from(minified, 'utf16le'));
bytes('utf-16be body with bom', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(minified, 'utf16le').swap16()]));
bytes('utf-32 like body', Buffer.from([...pstnBytes.subarray(0, 40)].flatMap((b) => [b, 0, 0, 0])));
const badItemText = JSON.stringify(mutate(incomingItem, 'changeType', 'exploded'));
for (const [name, seq] of [
  ['lone continuation byte', [0x80]], ['truncated two-byte sequence', [0xc3]], ['overlong slash', [0xc0, 0xaf]],
  ['utf-8 encoded surrogate', [0xed, 0xa0, 0x80]], ['code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['invalid byte FF', [0xff]], ['invalid byte FE', [0xfe]], ['raw NUL', [0x00]],
]) {
  bytes(`invalid utf-8 in the call id: ${name}`, Buffer.concat([
    Buffer.from(`{"@odata.type":"${ENV}","value":[{"changeType":"created","resourceUrl":"/communications/calls/ab`),
    Buffer.from(seq), Buffer.from(`cd"}]}`)]));
}
bytes('utf-8 bom before bad items', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelope(JSON.parse(badItemText)))]));
bytes('NUL bytes only', Buffer.alloc(64));
bytes('gzip magic', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]));

// 4. Wrong envelopes.
for (const [name, type] of [
  ['number', 5], ['object', {}], ['array', [ENV]], ['boolean', true], ['empty string', ''],
  ['change notification collection', '#microsoft.graph.changeNotificationCollection'],
  ['singular commsNotification', '#microsoft.graph.commsNotification'], ['leading space', ` ${ENV}`], ['no hash', ENV.slice(1)],
]) add(`@odata.type is ${name}`, JSON.stringify({ '@odata.type': type, value: [incomingItem()] }));
for (const [name, value] of [['missing', undefined], ['null', null], ['a string', 'x'], ['a number', 5], ['an object', {}], ['true', true]])
  add(`value is ${name}`, JSON.stringify({ '@odata.type': ENV, value }));
add('value is an object holding a notification', JSON.stringify({ '@odata.type': ENV, value: incomingItem() }));
const itemText = JSON.stringify(incomingItem());
parts('value holds 101 notifications', `{"@odata.type":"${ENV}","value":[`, [`${itemText},`, 100], `${itemText}]}`);
parts('value holds 5000 numbers', `{"@odata.type":"${ENV}","value":[`, ['1,', 4999], '1]}');
add('value holds non-objects only', envelope(42, 'x', null, [], true, 1.5));

// 5. Duplicated names: which value counts would be a guess.
add('value twice', `{"@odata.type":"${ENV}","value":[],"value":[${JSON.stringify(incomingItem())}]}`);
add('value and Value', `{"@odata.type":"${ENV}","value":[${JSON.stringify(incomingItem())}],"Value":[]}`);
add('@odata.type twice', `{"@odata.type":"${ENV}","@odata.type":"#x","value":[${JSON.stringify(incomingItem())}]}`);
add('changeType twice', envelope().replace('[]', `[{"changeType":"created","changeType":"deleted","resourceUrl":"/communications/calls/${CALL}"}]`));
add('changeType and ChangeType', envelope().replace('[]', `[{"changeType":"created","ChangeType":"deleted","resourceUrl":"/communications/calls/${CALL}"}]`));
add('resourceUrl twice', envelope().replace('[]', `[{"changeType":"created","resourceUrl":"/communications/calls/${CALL}","resourceUrl":"/communications/calls/other"}]`));
add('state and STATE', envelope().replace('[]', `[{"changeType":"created","resourceUrl":"/communications/calls/${CALL}","resourceData":{"state":"incoming","STATE":"terminated"}}]`));
add('identity kind twice', envelope().replace('[]', `[{"changeType":"created","resourceUrl":"/communications/calls/${CALL}","resourceData":{"state":"incoming","source":{"identity":{"phone":{"id":"+1"},"Phone":{"id":"+2"}}}}}]`));

// 6. Every notification of the batch is bad: wrong types, nulls, bad ids, oversized values.
const itemCases = [
  ['changeType', undefined], ['changeType', null], ['changeType', 7], ['changeType', true], ['changeType', {}], ['changeType', []],
  ['changeType', ''], ['changeType', 'exploded'], ['changeType', 'created '], ['changeType', 'créated'], ['changeType', long(5000)],
  ['resourceUrl', 5], ['resourceUrl', {}], ['resourceUrl', []], ['resourceUrl', true], ['resourceUrl', long(2000)],
  ['resourceData', 'a string'], ['resourceData', 5], ['resourceData', true],
  ['resourceData.state', 5], ['resourceData.state', true], ['resourceData.state', {}], ['resourceData.state', []], ['resourceData.state', long(1025)],
  ['resourceData.source', 'x'], ['resourceData.source', 5], ['resourceData.source', []], ['resourceData.source', true],
  ['resourceData.source.identity', 'x'], ['resourceData.source.identity', 5], ['resourceData.source.identity', []],
  ['resourceData.source.identity.phone', 'x'], ['resourceData.source.identity.phone', 5], ['resourceData.source.identity.phone', []],
  ['resourceData.source.identity.phone.id', 5], ['resourceData.source.identity.phone.id', {}], ['resourceData.source.identity.phone.id', []],
  ['resourceData.source.identity.phone.id', true], ['resourceData.source.identity.phone.id', long(1025)],
  ['resourceData.targets', {}], ['resourceData.targets', 'x'], ['resourceData.targets', 5], ['resourceData.targets', true],
  ['resourceData.targets', [5]], ['resourceData.targets', ['x']], ['resourceData.targets', [null]], ['resourceData.targets', [[]]],
  ['resourceData.targets', Array.from({ length: 17 }, () => sample.value[0].resourceData.targets[0])],
  ['resourceData.targets.0.identity', 'x'], ['resourceData.targets.0.identity.applicationInstance', 7],
  ['resourceData.targets.0.identity.applicationInstance.id', 12345],
  ['resourceData.tenantId', 5], ['resourceData.tenantId', {}], ['resourceData.tenantId', []], ['resourceData.tenantId', long(1025)],
  ['resourceData.callChainId', 5], ['resourceData.callChainId', {}], ['resourceData.callChainId', long(5000)],
  ['resourceData.chatInfo', 'x'], ['resourceData.chatInfo', 5], ['resourceData.chatInfo', []],
  ['resourceData.meetingInfo', 'x'], ['resourceData.meetingInfo', true],
];
for (const [path, value] of itemCases) {
  const item = mutate(incomingItem, path, value);
  if (path === 'resourceUrl') delete item.resource;
  const shown = value === undefined ? 'missing' : JSON.stringify(value).slice(0, 24);
  add(`incoming call with ${path} = ${shown}`, envelope(item));
}
parts('incoming call with 20000 empty targets',
  `{"@odata.type":"${ENV}","value":[{"changeType":"created","resourceUrl":"/communications/calls/${CALL}","resourceData":{"state":"incoming","targets":[`,
  ['{},', 19999], '{}]}}]}');
add('no resourceUrl and no resource', envelope(mutate(incomingItem, 'resourceUrl', undefined)));
add('resourceUrl null and no resource', envelope(mutate(incomingItem, 'resourceUrl', null)));

const resultCases = [
  ['resultInfo', 'x'], ['resultInfo', 5], ['resultInfo', []], ['resultInfo.code', 'two hundred'], ['resultInfo.code', 1e300],
  ['resultInfo.code', 3.5], ['resultInfo.code', 2147483648], ['resultInfo.code', -2147483649], ['resultInfo.code', true],
  ['resultInfo.code', {}], ['resultInfo.code', []], ['resultInfo.code', ' 12x'], ['resultInfo.code', '0x10'],
  ['resultInfo.subcode', '5002.5'], ['resultInfo.subcode', 99999999999], ['resultInfo.subcode', false],
  ['resultInfo.message', 5], ['resultInfo.message', {}], ['resultInfo.message', []], ['resultInfo.message', long(1025)],
];
for (const [path, value] of resultCases)
  add(`termination with ${path} = ${JSON.stringify(value).slice(0, 24)}`, envelope(mutate(terminatedItem, `resourceData.${path}`, value)));
const bigNumber = envelope(terminatedItem()).replace('"code":200', `"code":${'9'.repeat(10000)}`);
add('termination with a 10000-digit code', bigNumber);
add('termination with code 1e400', envelope(terminatedItem()).replace('"code":200', '"code":1e400'));
add('termination with code -0.0e-0', envelope(terminatedItem()).replace('"code":200', '"code":-0.5e-0'));

// 7. Call ids that are not Graph call ids: never a table key, never a Graph path.
for (const id of [
  'a#b', 'a?b=1', 'a b', ' lead', '-lead', '.hidden', '..', 'a\\b', 'a%2Fb', '%2e%2e', 'x'.repeat(129), 'abc\u0000', '\u202eabc',
  'аbc', 'ａｂｃ', "abc'", "x' or PartitionKey ne '", 'PartitionKey eq x', 'abcé', 'abc\ttab', '<script>', 'abc;drop',
  '{abc}', 'abc*', 'abc:1', 'abc|x', 'abc\ufeff', 'abc\u200b', 'abc\r\nInjected: header', '$metadata', 'abc&x=1', 'abc"',
]) {
  const item = incomingItem();
  item.resourceUrl = `/communications/calls/${id}`;
  delete item.resource;
  add(`call id ${JSON.stringify(id).slice(0, 40)}`, envelope(item));
}

// 8. Broken Unicode in escapes: valid JSON text, but not text a record could hold.
for (const [name, escape] of [['high surrogate alone', '\\ud800'], ['low surrogate alone', '\\udfff'], ['reversed pair', '\\udc00\\ud800'], ['surrogate then letter', '\\ud83dA']]) {
  add(`state is a ${name}`, envelope().replace('[]', `[{"changeType":"created","resourceUrl":"/communications/calls/${CALL}","resourceData":{"state":"${escape}"}}]`));
  add(`call id is a ${name}`, envelope().replace('[]', `[{"changeType":"created","resourceUrl":"/communications/calls/ab${escape}"}]`));
  add(`a property name is a ${name}`, `{"@odata.type":"${ENV}","${escape}":1,"value":[${badItemText}]}`);
  add(`changeType is a ${name}`, envelope().replace('[]', `[{"changeType":"${escape}","resourceUrl":"/communications/calls/${CALL}"}]`));
}

// 9. Deep nesting.
for (const depth of [33, 64, 100, 1000, 10000]) {
  parts(`arrays nested ${depth} deep in resourceData`,
    `{"@odata.type":"${ENV}","value":[{"changeType":"created","resourceUrl":"/communications/calls/${CALL}","resourceData":{"x":`,
    ['[', depth], [']', depth], '}}]}');
  parts(`objects nested ${depth} deep at the top`, `{"@odata.type":"${ENV}","value":[${badItemText}],"x":`, ['{"a":', depth], '1', ['}', depth], '}');
}
parts('unclosed nesting 50000 deep', ['[', 50000]);

// 10. Sizes: over the 1 MiB cap (413), declared by Content-Length.
parts('1.1 MiB of padding after bad items', `{"@odata.type":"${ENV}","value":[${badItemText}],"pad":"`, ['x', 1_150_000], '"}');
parts('1.1 MiB of whitespace', `{"@odata.type":"${ENV}","value":[${badItemText}]`, [' ', 1_150_000], '}');
parts('20000 bad notifications', `{"@odata.type":"${ENV}","value":[`, [`${badItemText},`, 20000], `${badItemText}]}`);
parts('a 900 kB string in a bad notification',
  `{"@odata.type":"${ENV}","value":[{"changeType":"exploded","resourceUrl":"/communications/calls/${CALL}","resourceData":{"state":"`,
  ['y', 900_000], '"}}]}');
parts('200000 nulls in value', `{"@odata.type":"${ENV}","value":[`, ['null,', 200_000], 'null]}');

const lines = corpus.map((entry) => JSON.stringify(entry));
writeFileSync(new URL('../CallFunctions.Tests/Corpus/hostile.jsonl', import.meta.url), lines.join('\n') + '\n');
console.log(`${lines.length} bodies written to CallFunctions.Tests/Corpus/hostile.jsonl`);
