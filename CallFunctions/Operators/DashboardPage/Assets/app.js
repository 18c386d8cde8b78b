// The dashboard's script: served by the Dashboard function itself (?asset=app.js), no library, no inline code, so it
// runs under "script-src 'self'". Every value from a call record is set as text, never parsed as HTML.
'use strict';

(() => {
  const key = new URLSearchParams(location.search).get('code');
  const $ = (id) => document.getElementById(id);
  const svgNs = 'http://www.w3.org/2000/svg';
  // The actions (their series, labels and colors) and the rule columns come with the data: the app declares them.
  const colorOf = (action) => (data.actions.find((a) => a.action === action) || {}).color;
  let data = null;
  let fileName = 'rules.json';

  // The key goes in a header, not the URL: the Functions host accepts both, and URLs end up in logs.
  async function call(query, options = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    if (key) headers['x-functions-key'] = key;
    const response = await fetch('dashboard?' + query, Object.assign({}, options, { headers }));
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.detail || body.title);
      throw new Error(`${response.status} ${detail || response.statusText}`);
    }
    return body;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) node.append(child === null || child === undefined ? '' : child);
    return node;
  }

  function svg(tag, attributes = {}) {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  const time = (text) => (text ? new Date(text).toISOString().replace('.000Z', 'Z') : '');
  // Keys as the server's buckets name endings: code/subcode, 'none' without resultInfo, 'not-reported' when the
  // reconciler found the call gone and Graph never sent its end.
  const codeKey = (r) => (r.notReported ? 'not-reported'
    : r.code === null || r.code === undefined ? 'none' : `${r.code}/${r.subcode ?? '-'}`);
  const codeLabel = (code) => (code === 'none' ? 'no resultInfo' : code === 'not-reported' ? 'not reported by Graph' : code);
  const localInput = (text) => new Date(text).toISOString().slice(0, 19);
  const fromInput = (value) => (value ? value + (value.length === 16 ? ':00Z' : 'Z') : '');

  function showError(error) {
    $('error').hidden = !error;
    $('error').textContent = error ? String(error.message || error) : '';
  }

  function period() {
    const parts = [];
    const from = fromInput($('from').value);
    const to = fromInput($('to').value);
    if (from) parts.push('from=' + encodeURIComponent(from));
    if (to) parts.push('to=' + encodeURIComponent(to));
    return parts.join('&');
  }

  async function load() {
    showError(null);
    $('status').textContent = 'Loading…';
    try {
      data = await call('view=data' + (period() ? '&' + period() : ''));
      $('from').value = localInput(data.from);
      $('to').value = localInput(data.to);
      render();
      $('status').textContent = `Loaded ${time(new Date().toISOString())}`;
    } catch (error) {
      $('status').textContent = '';
      showError(error);
    }
  }

  function setCount(id, value) {
    $(id).textContent = String(value);
    $(id).dataset.count = String(value);
  }

  function render() {
    $('period-text').textContent = `from ${time(data.from)} to ${time(data.to)}`;
    for (const node of document.querySelectorAll('.bucket-size')) node.textContent = data.bucketSize;
    renderCounters();
    setCount('count-calls', data.totals.calls);
    for (const a of data.actions) setCount('count-' + a.series.toLowerCase(), data.totals[a.series] || 0);
    setCount('count-ended', data.totals.ended);
    const codes = [...new Set(data.buckets.flatMap((b) => Object.keys(b.ended)))].sort();
    drawChart($('chart-decisions'), data.buckets, data.actions.map((a) => ({ name: a.series, label: a.label, color: a.color, value: (b) => b[a.series] || 0 })));
    drawChart($('chart-endings'), data.buckets, codes.map((code, i) => ({ name: 'code', code, index: i, label: codeLabel(code), value: (b) => b.ended[code] || 0 })));
    $('endings-legend').replaceChildren(...codes.map((code, i) =>
      el('li', { 'data-code': code }, el('span', { class: `swatch code-${i % 8}` }), codeLabel(code))));
    $('top-rules').replaceChildren(...data.topRules.map((r) =>
      el('li', { 'data-rule': r.rule, 'data-action': r.action, 'data-count': r.count },
        `${r.rule} (${r.action}${r.target ? ' to ' + r.target : ''}): ${r.count}`)));
    $('by-code').tBodies[0].replaceChildren(...data.byCode.map((c) =>
      el('tr', { 'data-code': codeKey(c), 'data-count': c.count }, el('td', {}, String(c.count)), el('td', {}, codeKey(c)), el('td', {}, c.meaning))));
    fillSelect($('filter-rule'), [...new Set(data.calls.map((c) => c.rule).filter(Boolean))].sort());
    fillSelect($('filter-action'), [...data.actions.map((a) => a.action), '(none)']);
    fillSelect($('filter-code'), [...new Set(data.calls.filter((c) => c.terminatedAt).map(codeKey))].sort());
    renderRecords();
    renderRules();
  }

  // One counter per declared action, between the calls and the ended ones, in the declarations' order.
  function renderCounters() {
    for (const node of document.querySelectorAll('.counts .action')) node.remove();
    const ended = $('count-ended').parentElement;
    for (const a of data.actions) {
      const dd = el('dd', { id: 'count-' + a.series.toLowerCase(), 'data-count': 0 }, '0');
      const div = el('div', { class: 'action', 'data-series': a.series }, el('dt', {}, a.label), dd);
      div.style.setProperty('--series', a.color);
      ended.before(div);
    }
  }

  function fillSelect(select, values) {
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '' }, 'any'), ...values.map((v) => el('option', { value: v }, v === '(none)' ? 'none' : v)));
    select.value = values.includes(chosen) ? chosen : '';
  }

  // Stacked bars, one per bucket; each rect carries its series and count for a reader (or a test) to check.
  function drawChart(container, buckets, parts) {
    const width = 900, height = 160, pad = 24;
    const totals = buckets.map((b) => parts.reduce((sum, p) => sum + p.value(b), 0));
    const max = Math.max(1, ...totals);
    const barWidth = (width - pad) / Math.max(1, buckets.length);
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height + pad}`, role: 'img', class: 'bars', 'data-max': max });
    chart.append(svg('line', { x1: pad, y1: height, x2: width, y2: height, class: 'axis' }));
    const maxLabel = svg('text', { x: 0, y: 12, class: 'label' });
    maxLabel.textContent = String(max);
    chart.append(maxLabel);
    buckets.forEach((bucket, i) => {
      let y = height;
      const x = pad + i * barWidth;
      for (const part of parts) {
        const count = part.value(bucket);
        if (!count) continue;
        const h = (count / max) * (height - 16);
        y -= h;
        const rect = svg('rect', {
          x: x + 1, y, width: Math.max(1, barWidth - 2), height: h,
          class: part.name === 'code' ? `code-${part.index % 8}` : 'series',
          'data-series': part.name === 'code' ? part.code : part.name, 'data-count': count, 'data-start': bucket.start,
        });
        if (part.color) rect.style.setProperty('--series', part.color);
        const title = svg('title');
        title.textContent = `${part.label}: ${count} (${time(bucket.start)})`;
        rect.append(title);
        chart.append(rect);
      }
      if (buckets.length <= 48 && i % Math.ceil(buckets.length / 12) === 0) {
        const label = svg('text', { x, y: height + 16, class: 'label' });
        label.textContent = data.bucketSize === 'hour' ? time(bucket.start).slice(11, 16) : time(bucket.start).slice(5, 10);
        chart.append(label);
      }
    });
    container.replaceChildren(chart);
  }

  function renderRecords() {
    const caller = $('filter-caller').value.trim().toLowerCase();
    const rule = $('filter-rule').value;
    const action = $('filter-action').value;
    const code = $('filter-code').value;
    const shown = data.calls.filter((c) =>
      (!caller || (c.caller || '').toLowerCase().includes(caller) || (c.target || '').toLowerCase().includes(caller))
      && (!rule || c.rule === rule)
      && (!action || (c.action || '(none)') === action)
      && (!code || (c.terminatedAt && codeKey(c) === code)));
    $('records').tBodies[0].replaceChildren(...shown.map((c) => colored(el('tr', {
      'data-call-id': c.callId, 'data-action': c.action || '(none)', 'data-rule': c.rule, 'data-code': c.terminatedAt ? codeKey(c) : null,
    },
    el('td', { 'data-col': 'receivedAt' }, time(c.receivedAt)),
    el('td', { 'data-col': 'callId', class: 'id' }, c.callId),
    el('td', { 'data-col': 'caller' }, c.caller || ''),
    el('td', { 'data-col': 'callee' }, c.callee || ''),
    el('td', { 'data-col': 'callType' }, c.callType || ''),
    el('td', { 'data-col': 'action' }, c.action ? c.action + (c.reason ? ' ' + c.reason : '') + (c.challengeResult ? ' ' + c.challengeResult : '') : ''),
    el('td', { 'data-col': 'target' }, c.target || ''),
    el('td', { 'data-col': 'rule' }, c.rule || ''),
    el('td', { 'data-col': 'graph' }, c.dryRun ? 'dry run' : (c.graphStatus ?? '')),
    el('td', { 'data-col': 'terminatedAt' }, time(c.terminatedAt)),
    el('td', { 'data-col': 'code' }, c.terminatedAt ? codeKey(c) : ''),
    el('td', { 'data-col': 'meaning', title: c.message || '' }, c.meaning || '')), colorOf(c.action))));
    $('records-count').textContent = `(${shown.length} of ${data.calls.length}${data.callsCut ? ', the newest only' : ''})`;
    $('records-count').dataset.shown = String(shown.length);
  }

  function colored(node, color) {
    if (color) node.style.setProperty('--series', color);
    return node;
  }

  // The rules table: one column per rule column the app reads (data.columns) that a row of the table holds.
  function renderRules() {
    const rules = data.rules;
    $('rules-table-name').textContent = rules.table;
    $('rules-read-at').textContent = time(rules.readAt);
    $('rules-in-use-since').textContent = rules.inUseSince ? time(rules.inUseSince) : 'not yet';
    const columns = data.columns.filter((name) => rules.rows.some((r) => r.columns[name]));
    $('rules').tHead.rows[0].replaceChildren(...['status', 'scope', 'name', ...columns, 'issues'].map((name) => el('th', {}, name)));
    $('rules').tBodies[0].replaceChildren(...rules.rows.map((r) => el('tr', { 'data-rule': r.name, 'data-scope': r.scope, 'data-status': r.status, class: r.status },
      el('td', {}, r.status), el('td', {}, r.scope), el('td', {}, r.name),
      ...columns.map((name) => el('td', { 'data-col': name }, r.columns[name] || '')),
      el('td', {}, r.issues.join('\n')))));
  }

  async function whatIf(event) {
    event.preventDefault();
    showError(null);
    $('whatif-summary').textContent = 'Replaying…';
    const text = $('whatif-file').value;
    const csv = fileName.toLowerCase().endsWith('.csv') || (!text.trim().startsWith('[') && !text.trim().startsWith('{'));
    try {
      const report = await call('view=whatif' + (period() ? '&' + period() : ''), {
        method: 'POST', body: text, headers: { 'Content-Type': csv ? 'text/csv' : 'application/json' },
      });
      $('whatif-summary').textContent = `${report.calls} call(s) from ${time(report.from)} to ${time(report.to)}: `
        + `${report.changed.length} would change, ${report.withoutContext.length} without context.`;
      $('whatif-summary').dataset.changed = String(report.changed.length);
      $('whatif-summary').dataset.withoutContext = String(report.withoutContext.length);
      $('whatif-result').tBodies[0].replaceChildren(
        ...report.changed.map((c) => el('tr', { 'data-call-id': c.callId, 'data-kind': 'changed' },
          el('td', { class: 'id' }, c.callId), el('td', {}, c.caller || ''), el('td', {}, time(c.receivedAt)),
          el('td', {}, `${c.oldAction} by ${c.oldRule}`), el('td', {}, `${c.newAction} by ${c.newRule}`))),
        ...report.withoutContext.map((c) => el('tr', { 'data-call-id': c.callId, 'data-kind': 'withoutContext' },
          el('td', { class: 'id' }, c.callId), el('td', {}, c.caller || ''), el('td', {}, time(c.at)),
          el('td', { colspan: 2 }, `not replayed: ${c.why}`))));
      $('whatif-result').hidden = false;
    } catch (error) {
      $('whatif-summary').textContent = '';
      showError(error);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('period').addEventListener('submit', (event) => { event.preventDefault(); load(); });
    for (const id of ['filter-caller', 'filter-rule', 'filter-action', 'filter-code']) {
      $(id).addEventListener('input', () => data && renderRecords());
    }
    $('whatif-upload').addEventListener('change', async () => {
      const file = $('whatif-upload').files[0];
      if (!file) return;
      fileName = file.name;
      $('whatif-file').value = await file.text();
    });
    $('whatif-form').addEventListener('submit', whatIf);
    load();
  });
})();
