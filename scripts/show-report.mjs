// Prints what the handler answered to one notification POST, one line per notification of the batch.
const [status, label] = process.argv.slice(2);
let body = '';
process.stdin.on('data', (chunk) => (body += chunk));
process.stdin.on('end', () => {
  if (status === '204') return console.log(`  ${label}: 204 (legacy format; Graph would re-send it)`);
  let json;
  try { json = JSON.parse(body); } catch { return console.log(`  ${label}: HTTP ${status} ${body}`); }
  if (!json.items) return console.log(`  ${label}: HTTP ${status} ${json.title ?? ''}: ${json.detail ?? body}`);
  for (const item of json.items) {
    const parts = [item.outcome === 'none' ? 'nothing to do' : item.outcome];
    if (item.rule) parts.push(`by rule ${item.rule}`);
    if (item.dryRun) parts.push('(dry run: nothing sent to Graph)');
    else if (item.graphStatus != null) parts.push(`(Graph answered ${item.graphStatus})`);
    if (item.meaning) parts.push(`- ${item.meaning}`);
    if (item.error) parts.push(`- ${item.error}`);
    console.log(`  ${label}: call ${item.callId ?? '?'} ${parts.join(' ')}`);
  }
});
