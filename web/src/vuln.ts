// 脆弱性: the dashboard (severity, KEV, EPSS, overdue, support ended, unresolved), the findings
// list with filters and triage, per-CVE and per-asset views (JVN's Japanese titles), end of
// support, the unresolved-name queue with confirmations, makers' VEX documents (load, list; VEX
// out per asset), and — for admins — feed files and the due-date policy.
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, ApiError } from './api';
import { t, Key } from './i18n';
import { ErrorBox, CATS } from './ledger';

const STATES = ['new', 'affected', 'not_affected', 'fixed', 'accepted'];
const JUSTIFICATIONS = [
  'component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist',
];

export function Vuln({ route, me }: { route: string[]; me: any }) {
  const sub = route[1] || '';
  const tabs: [string, Key][] = [
    ['', 'vu_dashboard'], ['findings', 'vu_findings'], ['cves', 'vu_by_cve'], ['eol', 'vu_eol'],
    ['unresolved', 'vu_unresolved'],
  ];
  // A vendor's account loads its own VEX too: its statements speak for its devices only.
  if (['admin', 'staff', 'vendor'].includes(me.role)) tabs.push(['vex', 'vu_vex']);
  if (me.role === 'admin') tabs.push(['feeds', 'vu_feeds']);
  let body;
  if (sub === 'findings') body = html`<${Findings} me=${me} preset=${route[2] || ''} key=${route[2] || ''} />`;
  else if (sub === 'cve') body = html`<${Findings} me=${me} cve=${route[2] || ''} key=${'cve' + route[2]} />`;
  else if (sub === 'asset') body = html`<${Findings} me=${me} asset=${route[2] || ''} key=${'asset' + route[2]} />`;
  else if (sub === 'cves') body = html`<${Cves} />`;
  else if (sub === 'eol') body = html`<${Eol} />`;
  else if (sub === 'unresolved') body = html`<${Unresolved} me=${me} />`;
  else if (sub === 'feeds') body = html`<${Feeds} />`;
  else if (sub === 'vex') body = html`<${Vex} me=${me} />`;
  else body = html`<${Dashboard} me=${me} />`;
  return html`<section><h1>${t('nav_vuln')}</h1>
    <nav class="tabs" aria-label=${t('nav_vuln')}>${tabs.map(([r, k]) => html`
      <a href=${'#/vuln' + (r ? '/' + r : '')} aria-current=${sub === r ? 'page' : undefined}>${t(k)}</a>`)}</nav>
    ${body}</section>`;
}

function Dashboard({ me }: { me: any }) {
  const [s, setS] = useState<any>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<any>(null);
  const load = () => api('GET', '/api/v1/vuln/summary').then(setS, (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const match = async () => {
    setBusy(true);
    try { setResult(await api('POST', '/api/v1/vuln/match', {})); load(); } catch (e) { setError((e as ApiError).message); }
    setBusy(false);
  };
  if (!s) return html`<${ErrorBox} error=${error} />${!error && html`<p>${t('loading')}</p>`}`;
  const sev = s.by_severity;
  return html`
    <p class="small">${t('vu_last_load')}: ${s.last_load || t('vu_never')} ／ ${t('vu_last_match')}: ${s.last_match || t('vu_never')}</p>
    ${!s.last_load && html`<p class="notice">${t('vu_no_feeds')}</p>`}
    <div class="cards" aria-label=${t('vu_dashboard')}>
      <a class="card sev-critical" href="#/vuln/findings/critical"><span class="num" data-testid="critical">${sev.CRITICAL}</span>${t('vu_critical')}</a>
      <a class="card sev-high" href="#/vuln/findings/high"><span class="num">${sev.HIGH}</span>${t('vu_high')}</a>
      <div class="card"><span class="num">${sev.MEDIUM + sev.LOW + sev.NONE}</span>${t('vu_medium_low')}</div>
      <a class="card" href="#/vuln/findings/kev"><span class="num" data-testid="kev">${s.kev}</span>${t('vu_kev')}</a>
      <div class="card"><span class="num">${s.epss_high}</span>${t('vu_epss_high')}</div>
      <a class="card warn" href="#/vuln/findings/overdue"><span class="num" data-testid="overdue">${s.overdue}</span>${t('vu_overdue')}</a>
      <a class="card" href="#/vuln/findings/review"><span class="num">${s.review}</span>${t('vu_review')}</a>
      <a class="card" href="#/vuln/eol"><span class="num" data-testid="eol">${s.eol_ended}</span>${t('vu_eol_ended')}</a>
      <a class="card" href="#/vuln/unresolved"><span class="num">${s.unresolved}</span>${t('vu_unresolved')}</a>
    </div>
    <p>${t('vu_open_on').replace('{0}', String(s.open)).replace('{1}', String(s.assets))}</p>
    ${['admin', 'staff'].includes(me.role) && html`<p class="actions">
      <button onClick=${match} disabled=${busy}>${busy ? t('loading') : t('vu_match')}</button></p>`}
    ${result && html`<p class="ok" role="status">${t('vu_matched').replace('{0}', result.added).replace('{1}', result.still).replace('{2}', result.gone).replace('{3}', result.unresolved).replace('{4}', result.current)}${result.incremental ? t('vu_matched_incremental').replace('{0}', result.evaluated_targets).replace('{1}', result.changed_records) : ''}</p>`}
    <${ErrorBox} error=${error} />`;
}

const FINDINGS_PAGE = 100;
const sevClass = (s: string) => 'sev-' + (s || 'none').toLowerCase();

function Findings({ me, preset = '', cve = '', asset = '' }: { me: any; preset?: string; cve?: string; asset?: string }) {
  const [state, setState] = useState('open');
  const [cat, setCat] = useState('');
  const [only, setOnly] = useState(preset);
  const [items, setItems] = useState<any[] | null>(null);
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<number>(0);
  // Findings chosen for one decision (ids); kept across pages, cleared when the filters change.
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [done, setDone] = useState('');
  const params = () => {
    const p = new URLSearchParams();
    if (state) p.set('state', state);
    if (cat) p.set('category', cat);
    if (only === 'overdue') p.set('overdue', '1');
    if (only === 'kev') p.set('kev', '1');
    if (only === 'critical') p.set('severity', 'CRITICAL');
    if (only === 'high') p.set('severity', 'HIGH');
    if (only === 'review') p.set('verdict', 'review');
    if (cve) p.set('cve', cve);
    if (asset) p.set('asset_id', asset);
    if (state === 'gone') { p.delete('state'); p.set('gone', '1'); }
    return p;
  };
  // The server filters and pages: a hospital may have thousands of findings.
  const load = () => {
    const p = params();
    p.set('limit', String(FINDINGS_PAGE));
    p.set('offset', String(offset));
    api('GET', '/api/v1/vuln/findings?' + p).then((d) => {
      setItems(d.items); setTotal(d.total); setError('');
    }, (e: ApiError) => setError(e.message));
  };
  useEffect(load, [state, cat, only, offset]);
  useEffect(() => setSelected(new Set()), [state, cat, only]);
  const canWrite = ['admin', 'staff', 'vendor'].includes(me.role);
  const head = items && items[0];
  const pageIds: number[] = (items || []).map((f: any) => f.id);
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id); else next.add(id);
    setSelected(next);
  };
  const togglePage = () => {
    const next = new Set(selected);
    pageIds.forEach((id) => (allOnPage ? next.delete(id) : next.add(id)));
    setSelected(next);
  };
  const selectMatching = () => api('GET', '/api/v1/vuln/findings?' + params()).then(
    (d) => setSelected(new Set((d.items as any[]).map((f) => f.id))), (e: ApiError) => setError(e.message));
  const bulkDone = (n: number) => { setDone(t('vu_bulk_done').replace('{0}', String(n))); setSelected(new Set()); load(); };
  return html`
    ${cve && head && html`<div class="cve-head"><h2>${cve}</h2>
      ${head.title_ja && html`<p lang="ja" data-testid="jvn-title">${head.title_ja}（${head.jvndb}）</p>`}
      <p>CVSS ${head.cvss.version} <b class=${sevClass(head.cvss.severity)}>${head.cvss.score}</b> <code>${head.cvss.vector}</code>
        ${head.kev && html` <span class="badge kev">KEV ${t('vu_kev_due')} ${head.kev_due}${head.ransomware ? ' ' + t('vu_ransomware') : ''}</span>`}
        ${head.epss != null && html` EPSS ${(head.epss * 100).toFixed(1)}%`}</p>
      <p>${cve.startsWith('CVE-') && html`<a href=${'https://nvd.nist.gov/vuln/detail/' + cve} rel="noopener noreferrer" target="_blank">NVD</a>`}
        ${head.jvndb && html` <a href=${'https://jvndb.jvn.jp/ja/contents/' + head.jvndb.slice(6, 10) + '/' + head.jvndb + '.html'} rel="noopener noreferrer" target="_blank">JVN iPedia</a>`}</p></div>`}
    ${asset && head && html`<h2>${head.asset} <a class="small" href=${'#/ledger/' + asset}>${t('nav_ledger')}</a></h2>`}
    ${asset && html`<${Requirements} asset=${asset} canWrite=${['admin', 'staff'].includes(me.role)} onSaved=${load} />`}
    ${asset && html`<p class="vex-export">${t('vu_vex_export')}:
        <a href=${'/api/v1/vuln/vex/export?format=cyclonedx&asset_id=' + asset} download=${'asset-' + asset + '.vex.cdx.json'}>CycloneDX VEX</a>
        <a href=${'/api/v1/vuln/vex/export?format=csaf&asset_id=' + asset} download=${'asset-' + asset + '.vex.csaf.json'}>CSAF VEX</a></p>`}
    <div class="filters">
      <label>${t('vu_state')} <select name="state" value=${state} onChange=${(e: any) => { setOffset(0); setState(e.target.value); }}>
        <option value="open">${t('vu_open')}</option><option value="">${t('all')}</option>
        ${STATES.map((s) => html`<option value=${s}>${t(('vu_st_' + s) as Key)}</option>`)}
        <option value="gone">${t('vu_gone')}</option></select></label>
      ${!asset && html`<label>${t('category')} <select name="category" value=${cat} onChange=${(e: any) => { setOffset(0); setCat(e.target.value); }}>
        <option value="">${t('all')}</option>${CATS.map((c) => html`<option value=${c}>${t(('cat_' + c) as Key)}</option>`)}</select></label>`}
      <label>${t('condition')} <select name="only" value=${only} onChange=${(e: any) => { setOffset(0); setOnly(e.target.value); }}>
        <option value="">${t('all')}</option><option value="overdue">${t('vu_overdue')}</option>
        <option value="kev">${t('vu_kev')}</option><option value="critical">${t('vu_critical')}</option>
        <option value="high">${t('vu_high')}</option><option value="review">${t('vu_review')}</option></select></label>
      <p class="exports">${t('vu_export')}:
        <a href=${'/api/v1/vuln/findings/export?format=xlsx&' + params()} data-testid="export-xlsx">Excel</a>
        <a href=${'/api/v1/vuln/findings/export?format=csv&' + params()}>CSV</a>
        <a href=${'/api/v1/vuln/findings/export?format=csv&encoding=cp932&' + params()}>CSV (Shift_JIS)</a></p>
    </div>
    <${ErrorBox} error=${error} />
    ${done && html`<p class="ok" role="status">${done}</p>`}
    ${!items ? html`<p>${t('loading')}</p>` : items.length === 0 ? html`<p class="notice">${t('vu_none')}</p>` : html`
    <p class="count" aria-live="polite" data-testid="findings-count">${t('vu_range').replace('{0}', String(total)).replace('{1}', String(offset + 1)).replace('{2}', String(offset + items.length))}</p>
    ${canWrite && selected.size > 0 && html`<div class="bulk" aria-label=${t('vu_bulk_triage').replace('{0}', String(selected.size))}>
      <p><b data-testid="selected-count">${t('vu_selected').replace('{0}', String(selected.size))}</b>
        ${allOnPage && total > selected.size && html` <button class="link" onClick=${selectMatching}>${t('vu_select_matching').replace('{0}', String(total))}</button>`}
        ${' '}<button class="link" onClick=${() => setSelected(new Set())}>${t('vu_clear_selection')}</button></p>
      <h3>${t('vu_bulk_triage').replace('{0}', String(selected.size))}</h3>
      <${Triage} ids=${[...selected]} onDone=${bulkDone} /></div>`}
    <table class="grid findings">
      <thead><tr>${canWrite && html`<th><input type="checkbox" aria-label=${t('vu_select_page')} checked=${allOnPage} onChange=${togglePage} /></th>`}<th>CVE</th><th>${t('vu_title')}</th><th>CVSS</th><th>KEV / EPSS</th><th>${t('vu_asset')}</th>
        <th>${t('vu_component')}</th><th>${t('vu_verdict')}</th><th>${t('vu_state')}</th><th>${t('vu_due')}</th></tr></thead>
      <tbody>${items.map((f: any) => html`<tr class=${f.overdue ? 'overdue' : ''}>
        ${canWrite && html`<td><input type="checkbox" name="pick" aria-label=${t('vu_select') + ' ' + f.cve + ' ' + f.asset + ' ' + f.component}
          checked=${selected.has(f.id)} onChange=${() => toggle(f.id)} /></td>`}
        <td><a href=${'#/vuln/cve/' + f.cve}>${f.cve}</a></td>
        <td lang="ja">${f.title_ja || '—'}</td>
        <td><span class=${sevClass(f.cvss.severity)}>${f.cvss.score || '—'}</span>${f.cvss.environmental_score != null && html`
          → <span class=${sevClass(f.cvss.environmental_severity)} data-testid="env-score" title=${t('vu_env') + ' ' + f.cvss.requirements}>${f.cvss.environmental_score}</span>`}</td>
        <td>${f.kev && html`<span class="badge kev" title=${t('vu_kev_due') + ' ' + f.kev_due}>KEV</span>`}
          ${f.epss != null && html` ${(f.epss * 100).toFixed(1)}%`}</td>
        <td>${f.asset_id ? html`<a href=${'#/vuln/asset/' + f.asset_id}>${f.asset}</a>` : f.asset}</td>
        <td>${f.component} ${f.version}</td>
        <td>${f.verdict === 'affected' ? t('vu_affected') : t('vu_review')}</td>
        <td><button class="link" aria-expanded=${open === f.id} onClick=${() => setOpen(open === f.id ? 0 : f.id)}>
          ${f.state_label}</button>${f.gone_at && html` <span class="small">${t('vu_gone')}</span>`}</td>
        <td>${f.due_date}${f.overdue && html` <b class="warn">${t('vu_overdue_short')}</b>`}</td>
      </tr>
      ${open === f.id && html`<tr class="detail"><td colspan=${canWrite ? 10 : 9}>
        <${Evidence} f=${f} />
        ${canWrite ? html`<${Triage} f=${f} ids=${[f.id]} onDone=${() => { setOpen(0); load(); }} />` : null}
      </td></tr>`}`)}</tbody>
    </table>
    ${total > FINDINGS_PAGE && html`<nav class="pager" aria-label=${t('vu_pages')}>
      <button disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - FINDINGS_PAGE))}>${t('prev')}</button>
      <button disabled=${offset + FINDINGS_PAGE >= total} onClick=${() => setOffset(offset + FINDINGS_PAGE)}>${t('next')}</button>
    </nav>`}`}`;
}

const LEVELS = ['X', 'L', 'M', 'H'];

// The asset's CVSS security requirements: what its findings are scored again with.
function Requirements({ asset, canWrite, onSaved }: { asset: string; canWrite: boolean; onSaved: () => void }) {
  const [r, setR] = useState<any>({ cr: 'X', ir: 'X', ar: 'X', note: '' });
  const [error, setError] = useState('');
  const [msg, setMsg] = useState('');
  const load = () => api('GET', '/api/v1/vuln/requirements').then((d) => {
    const mine = d.items.find((x: any) => String(x.asset_id) === asset);
    setR(mine || { cr: 'X', ir: 'X', ar: 'X', note: '' });
  }, (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, [asset]);
  const save = async (clear: boolean) => {
    setError(''); setMsg('');
    try {
      if (clear) await api('DELETE', '/api/v1/vuln/assets/' + asset + '/requirements');
      else await api('PUT', '/api/v1/vuln/assets/' + asset + '/requirements', { cr: r.cr, ir: r.ir, ar: r.ar, note: r.note });
      setMsg(t('vu_req_saved')); load(); onSaved();
    } catch (e) { setError((e as ApiError).message); }
  };
  const pick = (k: 'cr' | 'ir' | 'ar', label: Key) => html`<label>${t(label)}
    <select name=${k} value=${r[k]} disabled=${!canWrite} onChange=${(e: any) => setR({ ...r, [k]: e.target.value })}>
      ${LEVELS.map((l) => html`<option value=${l}>${t(('vu_req_' + l.toLowerCase()) as Key)}</option>`)}</select></label>`;
  return html`<fieldset class="requirements"><legend>${t('vu_req_title')}</legend>
    <p class="small">${t('vu_req_help')}</p>
    <div class="filters">${pick('cr', 'vu_req_cr')}${pick('ir', 'vu_req_ir')}${pick('ar', 'vu_req_ar')}
      <label>${t('vu_req_note')} <input name="req_note" value=${r.note} disabled=${!canWrite} maxlength="500"
        onInput=${(e: any) => setR({ ...r, note: e.target.value })} /></label></div>
    ${canWrite && html`<p class="actions"><button onClick=${() => save(false)}>${t('vu_req_save')}</button>
      ${r.updated_by && html` <button class="secondary" onClick=${() => save(true)}>${t('vu_req_clear')}</button>`}</p>`}
    ${msg && html`<p class="ok" role="status">${msg}</p>`}
    <${ErrorBox} error=${error} /></fieldset>`;
}

function Evidence({ f }: { f: any }) {
  return html`<div class="evidence-list"><h3>${t('vu_evidence')}</h3><ul>${f.evidence.map((e: any) => html`
    <li>${e.reason}${e.criterion && html` <code>${e.criterion}</code>`}${e.bound && html` <code>${e.bound}</code>`}</li>`)}</ul>
    ${f.state !== 'new' && html`<p class="small">${f.state_label}${f.justification ? ' — ' + t(('vu_j_' + f.justification) as Key) : ''}
      ${f.note ? ' — ' + f.note : ''}${f.approver ? ' — ' + t('vu_approver') + ' ' + f.approver : ''}
      ${f.review_date ? ' — ' + t('vu_review_date') + ' ' + f.review_date : ''} (${f.state_source})</p>`}</div>`;
}

const TRIAGE_BATCH = 1000;  // the server's limit per request

// One decision for one finding (f) or for several (ids, without f): all of a request's findings
// change or none; more than a request takes go in several.
function Triage({ f = {}, ids, onDone }: { f?: any; ids: number[]; onDone: (n: number) => void }) {
  const [state, setState] = useState(!f.state || f.state === 'new' ? 'affected' : f.state);
  const [justification, setJ] = useState(f.justification || '');
  const [note, setNote] = useState(f.note || '');
  const [approver, setApprover] = useState(f.approver || '');
  const [review, setReview] = useState(f.review_date || '');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: any = { state, note };
    if (state === 'not_affected') body.justification = justification;
    if (state === 'accepted') { body.approver = approver; body.review_date = review; }
    try {
      let n = 0;
      for (let i = 0; i < ids.length; i += TRIAGE_BATCH) {
        const r = await api('POST', '/api/v1/vuln/findings/triage', { ...body, ids: ids.slice(i, i + TRIAGE_BATCH) });
        n += r.updated;
      }
      onDone(n);
    } catch (err) { setError((err as ApiError).message); }
  };
  return html`<form class="triage" onSubmit=${submit} aria-label=${t('vu_triage')}>
    <label>${t('vu_state')} <select name="triage_state" value=${state} onChange=${(e: any) => setState(e.target.value)}>
      ${STATES.map((s) => html`<option value=${s}>${t(('vu_st_' + s) as Key)}</option>`)}</select></label>
    ${state === 'not_affected' && html`<label>${t('vu_justification')} <select name="justification" value=${justification} onChange=${(e: any) => setJ(e.target.value)}>
      <option value="">—</option>${JUSTIFICATIONS.map((j) => html`<option value=${j}>${t(('vu_j_' + j) as Key)}</option>`)}</select></label>`}
    <label>${t('vu_note')} <input name="note" value=${note} onInput=${(e: any) => setNote(e.target.value)} /></label>
    ${state === 'accepted' && html`
      <label>${t('vu_approver')} <input name="approver" value=${approver} onInput=${(e: any) => setApprover(e.target.value)} /></label>
      <label>${t('vu_review_date')} <input name="review_date" type="date" value=${review} onInput=${(e: any) => setReview(e.target.value)} /></label>`}
    <button type="submit">${t('save')}</button>
    <${ErrorBox} error=${error} />
  </form>`;
}

// Findings grouped by CVE, most urgent first; each row opens the CVE's findings, where they can be
// triaged together.
function Cves() {
  const [state, setState] = useState('open');
  const [cat, setCat] = useState('');
  const [items, setItems] = useState<any[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const p = new URLSearchParams();
    if (state) p.set('state', state);
    if (cat) p.set('category', cat);
    api('GET', '/api/v1/vuln/cves?' + p).then((d) => { setItems(d.items); setError(''); }, (e: ApiError) => setError(e.message));
  }, [state, cat]);
  return html`
    <div class="filters">
      <label>${t('vu_state')} <select name="state" value=${state} onChange=${(e: any) => setState(e.target.value)}>
        <option value="open">${t('vu_open')}</option><option value="">${t('all')}</option>
        ${STATES.map((s) => html`<option value=${s}>${t(('vu_st_' + s) as Key)}</option>`)}</select></label>
      <label>${t('category')} <select name="category" value=${cat} onChange=${(e: any) => setCat(e.target.value)}>
        <option value="">${t('all')}</option>${CATS.map((c) => html`<option value=${c}>${t(('cat_' + c) as Key)}</option>`)}</select></label>
    </div>
    <${ErrorBox} error=${error} />
    ${!items ? !error && html`<p>${t('loading')}</p>` : items.length === 0 ? html`<p class="notice">${t('vu_none')}</p>` : html`
    <table class="grid cves">
      <thead><tr><th>CVE</th><th>${t('vu_title')}</th><th>CVSS</th><th>KEV / EPSS</th><th>${t('vu_open_all')}</th>
        <th>${t('vu_assets_n')}</th><th>${t('vu_earliest_due')}</th></tr></thead>
      <tbody>${items.map((c: any) => html`<tr class=${c.overdue ? 'overdue' : ''}>
        <td><a href=${'#/vuln/cve/' + c.cve}>${c.cve}</a></td>
        <td lang="ja">${c.title_ja || '—'}</td>
        <td><span class=${sevClass(c.severity)}>${c.cvss.score || '—'}</span></td>
        <td>${c.kev && html`<span class="badge kev" title=${t('vu_kev_due') + ' ' + c.kev_due}>KEV</span>`}
          ${c.epss != null && html` ${(c.epss * 100).toFixed(1)}%`}</td>
        <td data-testid="cve-open">${c.open} / ${c.findings}</td>
        <td>${c.assets}</td>
        <td>${c.due_date || '—'}${c.overdue > 0 && html` <b class="warn">${t('vu_overdue_short')}</b>`}</td>
      </tr>`)}</tbody>
    </table>`}`;
}

function Eol() {
  const [days, setDays] = useState('180');
  const [items, setItems] = useState<any[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api('GET', '/api/v1/vuln/eol?days=' + days).then((d) => setItems(d.items), (e: ApiError) => setError(e.message)); }, [days]);
  return html`<div class="filters"><label>${t('vu_eol_within')} <select value=${days} onChange=${(e: any) => setDays(e.target.value)}>
      <option value="0">${t('vu_eol_only_ended')}</option><option value="90">90</option><option value="180">180</option><option value="365">365</option></select></label></div>
    <${ErrorBox} error=${error} />
    ${items && html`<table class="grid"><thead><tr><th>${t('vu_asset')}</th><th>${t('vu_component')}</th><th>${t('vu_eol_product')}</th>
      <th>${t('vu_eol_date')}</th><th>${t('vu_state')}</th></tr></thead>
      <tbody>${items.map((e: any) => html`<tr class=${e.ended ? 'overdue' : ''}>
        <td>${e.asset_id ? html`<a href=${'#/ledger/' + e.asset_id}>${e.asset}</a>` : e.asset}</td><td>${e.component}</td>
        <td>${e.product === 'ledger' ? t('support_end') : e.product + ' ' + e.cycle}</td><td>${e.eol}</td>
        <td>${e.candidates ? t('vu_eol_ambiguous') + ' (' + e.candidates.join(', ') + ')' : e.ended ? t('vu_eol_ended_short')
          : t('vu_eol_days_left').replace('{0}', e.days_left)}</td></tr>`)}</tbody></table>`}`;
}

function Unresolved({ me }: { me: any }) {
  const [items, setItems] = useState<any[] | null>(null);
  const [error, setError] = useState('');
  const [typed, setTyped] = useState<Record<string, string>>({});
  const load = () => api('GET', '/api/v1/vuln/unresolved').then((d) => setItems(d.items), (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const confirm = async (u: any, cpe: string) => {
    try { await api('POST', '/api/v1/vuln/names', { name: u.name, version: u.version, cpe }); setError(''); load(); }
    catch (e) { setError((e as ApiError).message); }
  };
  const canWrite = ['admin', 'staff', 'vendor'].includes(me.role);
  return html`<p class="notice">${t('vu_unresolved_help')}</p><${ErrorBox} error=${error} />
    ${items && (items.length === 0 ? html`<p>${t('vu_none')}</p>` : html`<table class="grid"><thead><tr><th>${t('name')}</th><th>${t('vu_count')}</th>
      <th>${t('vu_asset')}</th><th>${t('vu_candidates')}</th></tr></thead>
      <tbody>${items.map((u: any) => html`<tr><td>${u.name} ${u.version}</td><td>${u.count}</td><td>${u.assets.join('、')}</td>
        <td>${u.candidates.map((c: any) => html`<div><code>${c.cpe}</code> ${Math.round(c.confidence * 100)}% ${c.title || ''}
          ${canWrite && html`<button class="small" onClick=${() => confirm(u, c.cpe)}>${t('vu_confirm')}</button>`}</div>`)}
          ${canWrite && html`<form class="inline" onSubmit=${(e: Event) => { e.preventDefault(); confirm(u, typed[u.normalised] || ''); }}>
            <input aria-label=${t('vu_cpe_input')} placeholder="cpe:2.3:a:vendor:product" value=${typed[u.normalised] || ''}
              onInput=${(e: any) => setTyped({ ...typed, [u.normalised]: e.target.value })} />
            <button type="submit" class="small">${t('vu_confirm')}</button></form>`}</td></tr>`)}</tbody></table>`)}`;
}

// Files as the API takes them: base64 in JSON.
function bytesBase64(buf: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}

async function fileBase64(file: File): Promise<string> {
  return bytesBase64(new Uint8Array(await file.arrayBuffer()));
}

// A signed offline bundle is larger than a request may be: sent in pieces of 8 MiB at known
// offsets, then verified with the trusted keys and loaded by the server.
async function uploadBundle(file: File, onProgress: (percent: number) => void): Promise<any> {
  const begin = await api('POST', '/api/v1/vuln/bundles/uploads', { file_name: file.name, size: file.size });
  const piece = 8 << 20;
  for (let at = 0; at < file.size; at += piece) {
    const bytes = new Uint8Array(await file.slice(at, at + piece).arrayBuffer());
    await api('POST', `/api/v1/vuln/bundles/uploads/${begin.id}`, { offset: at, content_base64: bytesBase64(bytes) });
    onProgress(Math.round((100 * Math.min(file.size, at + piece)) / file.size));
  }
  return api('POST', `/api/v1/vuln/bundles/uploads/${begin.id}/load`, {});
}

function Bundles({ onLoaded }: { onLoaded: () => void }) {
  const [data, setData] = useState<any>(null);
  const [error, setError] = useState('');
  const [msg, setMsg] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const load = () => api('GET', '/api/v1/vuln/bundles').then(setData, (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const upload = async (e: any) => {
    const file = (e.target.files as FileList)[0];
    if (!file) return;
    setError(''); setMsg(''); setProgress(0);
    try {
      const r = await uploadBundle(file, setProgress);
      const records = (r.files as any[]).reduce((n, f) => n + f.records, 0);
      setMsg(r.already_loaded ? `${r.file}: ${t('vu_bundle_already')}`
        : `${r.file}: ${t('vu_bundle_verified')} ${r.key_id} / ${r.producer} — ${r.files.length} ${t('vu_bundle_files')}, ${records} ${t('vu_bundle_records')}`);
      onLoaded();
    } catch (err) { setError((err as ApiError).message); }
    setProgress(null);
    e.target.value = '';
    load();
  };
  return html`<h2>${t('vu_bundles')}</h2><p class="notice">${t('vu_bundle_help')}</p>
    <label>${t('vu_bundle_upload')} <input type="file" name="bundle" onChange=${upload} disabled=${progress !== null} /></label>
    ${progress !== null && html`<p role="status" class="progress">${progress < 100 ? `${t('vu_bundle_sending')} ${progress}%` : t('vu_bundle_checking')}</p>`}
    ${msg && html`<p class="ok" role="status">${msg}</p>`}<${ErrorBox} error=${error} />
    ${data && html`<table class="grid bundles"><thead><tr><th>${t('when')}</th><th>${t('vu_bundle_producer')}</th><th>${t('vu_bundle_created')}</th>
      <th>${t('vu_bundle_seq')}</th><th>${t('vu_count')}</th><th>${t('vu_bundle_key')}</th><th>${t('who')}</th></tr></thead>
      <tbody>${data.items.map((b: any) => html`<tr><td>${b.loaded_at}</td><td>${b.producer}</td><td>${b.created}</td>
        <td>${b.sequence}${b.base ? ` (${t('vu_bundle_delta')})` : ''}</td><td>${b.files}</td><td><code>${b.key_id}</code></td><td>${b.loaded_by}</td></tr>`)}</tbody></table>
      <p>${t('vu_bundle_keys')}: ${data.keys.length === 0 ? t('vu_bundle_no_keys')
        : data.keys.map((k: any) => html`<code>${k.key_id}</code> ${k.comment} `)}</p>`}`;
}

// VEX documents from makers: loaded, applied to the findings no person has triaged, listed.
// A document's kind: a maker's CSAF security advisory is told from a VEX (both apply alike).
function vexKind(d: { format: string; category?: string }): string {
  if (d.format !== 'csaf' || !d.category || d.category === 'csaf_vex') return d.format === 'csaf' ? 'CSAF VEX' : d.format;
  if (d.category === 'csaf_security_advisory') return t('vu_csaf_advisory');
  return `CSAF (${d.category})`;
}

function Vex({ me }: { me: any }) {
  const [items, setItems] = useState<any[] | null>(null);
  const [error, setError] = useState('');
  const [msg, setMsg] = useState('');
  const load = () => api('GET', '/api/v1/vuln/vex').then((d) => setItems(d.items), (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const upload = async (e: any) => {
    for (const file of Array.from(e.target.files as FileList)) {
      try {
        const r = await api('POST', '/api/v1/vuln/vex', { file_name: file.name, content_base64: await fileBase64(file) });
        setMsg(`${file.name}: ${vexKind(r)} ${r.author} — ${r.statements}${t('vu_vex_statements_suffix')}, ${t('vu_vex_applied')} ${r.applied}`);
        setError('');
      } catch (err) { setError((err as ApiError).message); }
    }
    load();
  };
  return html`<p class="notice">${t(me.role === 'vendor' ? 'vu_vex_help_vendor' : 'vu_vex_help')}</p>
    <label>${t('vu_vex_upload')} <input type="file" multiple name="vex" accept=".json" onChange=${upload} /></label>
    ${msg && html`<p class="ok" role="status">${msg}</p>`}<${ErrorBox} error=${error} />
    <h2>${t('vu_vex_docs')}</h2>
    ${!items ? html`<p>${t('loading')}</p>` : items.length === 0 ? html`<p class="notice">${t('vu_vex_none')}</p>` : html`
    <table class="grid vex-docs"><thead><tr><th>${t('when')}</th><th>${t('vu_kind')}</th><th>${t('vu_vex_author')}</th><th>ID</th><th>${t('vu_vex_title')}</th>
      <th>${t('vu_count')}</th><th>${t('vu_file')}</th><th>${t('who')}</th><th>${t('vu_vex_scope')}</th></tr></thead>
      <tbody>${items.map((d: any) => html`<tr><td>${d.loaded_at}</td><td>${vexKind(d)}</td><td>${d.author}</td>
        <td>${d.doc_id}</td><td>${d.title}</td>
        <td>${d.statements}</td><td>${d.file}</td><td>${d.loaded_by}</td><td>${d.vendor ? d.vendor + t('vu_vex_scope_vendor') : t('vu_vex_scope_all')}</td></tr>`)}</tbody></table>`}`;
}

function Feeds() {
  const [items, setItems] = useState<any[]>([]);
  const [policy, setPolicy] = useState<any>(null);
  const [error, setError] = useState('');
  const [msg, setMsg] = useState('');
  const load = () => {
    api('GET', '/api/v1/vuln/feeds').then((d) => setItems(d.items), (e: ApiError) => setError(e.message));
    api('GET', '/api/v1/vuln/policy').then(setPolicy, () => {});
  };
  useEffect(() => { load(); }, []);
  const upload = async (e: any) => {
    for (const file of Array.from(e.target.files as FileList)) {
      try {
        const r = await api('POST', '/api/v1/vuln/feeds', { file_name: file.name, content_base64: await fileBase64(file) });
        setMsg(`${file.name}: ${r.kind} ${r.records}`); setError('');
      } catch (err) { setError((err as ApiError).message); }
    }
    load();
  };
  const savePolicy = async (e: Event) => {
    e.preventDefault();
    try { setPolicy(await api('PATCH', '/api/v1/vuln/policy', policy)); setMsg(t('saved')); } catch (err) { setError((err as ApiError).message); }
  };
  const num = (k: string) => html`<label>${t(('vu_p_' + k) as Key)} <input type="number" min="0" max="3650" name=${k} value=${policy[k]}
    onInput=${(e: any) => setPolicy({ ...policy, [k]: Number(e.target.value) })} /></label>`;
  return html`<p class="notice">${t('vu_feeds_help')}</p>
    <label>${t('vu_feed_upload')} <input type="file" multiple name="feed" onChange=${upload} /></label>
    ${msg && html`<p class="ok" role="status">${msg}</p>`}<${ErrorBox} error=${error} />
    ${policy && html`<form class="policy" onSubmit=${savePolicy}><h2>${t('vu_policy')}</h2>
      ${num('critical_days')}${num('high_days')}${num('medium_days')}${num('low_days')}
      <label><input type="checkbox" checked=${policy.kev_due} onChange=${(e: any) => setPolicy({ ...policy, kev_due: e.target.checked })} /> ${t('vu_p_kev_due')}</label>
      <button type="submit">${t('save')}</button></form>`}
    <${Bundles} onLoaded=${load} />
    <h2>${t('vu_feed_files')}</h2>
    <table class="grid"><thead><tr><th>${t('when')}</th><th>${t('vu_kind')}</th><th>${t('vu_count')}</th><th>${t('vu_file')}</th><th>${t('who')}</th></tr></thead>
      <tbody>${items.map((f: any) => html`<tr><td>${f.loaded_at}</td><td>${f.kind}</td><td>${f.records}</td><td>${f.file}</td><td>${f.loaded_by}</td></tr>`)}</tbody></table>`;
}
