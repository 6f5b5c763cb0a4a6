// 台帳: the list (filters, sort, paging, exports), the asset page (details, software, remote
// maintenance, edit, history), the import wizard (preview, header mapping, profiles), 台帳未登録
// review, and the evidence page (completeness, MDS/SDS, management reports).
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, ApiError } from './api';
import { lang, t, Key } from './i18n';

export const CATS = ['server', 'pc', 'network', 'medical', 'cloud', 'other'];
const PAGE = 50;

export function ErrorBox({ error }: { error: string }) {
  return error ? html`<p class="error" role="alert">${error}</p>` : null;
}

function countText(total: number, offset: number): string {
  const range = total ? `${offset + 1}–${Math.min(offset + PAGE, total)}` : '0';
  return lang() === 'ja' ? `${total}件中 ${range}件目` : `${range} of ${total}`;
}

const FIELD_KEYS: Record<string, Key> = {
  name: 'name', computer_name: 'computer_name', category: 'category', maker: 'maker', model: 'model',
  serial: 'serial', os: 'os', os_version: 'os_version', ips: 'ip', macs: 'mac', location: 'location',
  user: 'user_dept', remote_maintenance: 'remote', remote_method: 'remote_method',
  remote_allowed_sources: 'remote_sources', remote_confirmed_on: 'remote_confirmed',
  software: 'software', purchase_date: 'purchase_date', support_end: 'support_end',
  vendor: 'vendor', system: 'system', notes: 'notes',
};
export function fieldLabel(f: string): string {
  return FIELD_KEYS[f] ? t(FIELD_KEYS[f]) : f;
}
const remoteText = (r: string) =>
  t(r === 'yes' ? 'remote_yes' : r === 'no' ? 'remote_no' : 'remote_unknown_short');

function LedgerTabs({ current }: { current: string }) {
  const tabs: [string, Key][] = [
    ['', 'tab_list'], ['import', 'tab_import'], ['discovered', 'tab_discovered'], ['status', 'tab_status'],
  ];
  return html`<nav class="tabs" aria-label=${t('nav_ledger')}>${tabs.map(([r, k]) => html`
    <a href=${'#/ledger' + (r ? '/' + r : '')} aria-current=${current === r ? 'page' : undefined}>${t(k)}</a>`)}</nav>`;
}

export function Ledger({ route }: { route: string[] }) {
  const sub = route[1] || '';
  if (/^\d+$/.test(sub)) return html`<${AssetDetail} id=${sub} />`;
  let body;
  if (sub === 'import') body = html`<${ImportWizard} />`;
  else if (sub === 'discovered') body = html`<${Discovered} />`;
  else if (sub === 'status') body = html`<${Status} />`;
  else body = html`<${AssetList} key=${route[2] || ''} initialFilter=${route[2] || ''} />`;
  return html`<section><h1>${t('nav_ledger')}</h1><${LedgerTabs} current=${sub === 'list' ? '' : sub} />${body}</section>`;
}

function AssetList({ initialFilter }: { initialFilter: string }) {
  const [q, setQ] = useState('');
  const [cat, setCat] = useState('');
  const [filter, setFilter] = useState(initialFilter);
  const [sort, setSort] = useState('');
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<any>(null);
  const [error, setError] = useState('');
  const load = (o = offset) => {
    const p = new URLSearchParams({ q, category: cat, filter, sort, limit: String(PAGE), offset: String(o) });
    api('GET', '/api/v1/assets?' + p).then(setData, (e: ApiError) => setError(e.message));
  };
  useEffect(() => load(), [cat, offset, filter, sort]);
  return html`
    <form class="filters" role="search" onSubmit=${(e: Event) => { e.preventDefault(); setOffset(0); load(0); }}>
      <label>${t('search')} <input name="q" value=${q} placeholder=${t('search_placeholder')}
        onInput=${(e: any) => setQ(e.target.value)} /></label>
      <label>${t('category')} <select name="category" value=${cat}
        onChange=${(e: any) => { setOffset(0); setCat(e.target.value); }}>
        <option value="">${t('all')}</option>
        ${CATS.map((c) => html`<option value=${c}>${t(('cat_' + c) as Key)}</option>`)}
      </select></label>
      <label>${t('condition')} <select name="filter" value=${filter}
        onChange=${(e: any) => { setOffset(0); setFilter(e.target.value); }}>
        <option value="">${t('all')}</option>
        <option value="incomplete">${t('filter_incomplete')}</option>
        <option value="support_ended">${t('filter_support_ended')}</option>
        <option value="remote_attention">${t('filter_remote_attention')}</option>
      </select></label>
      <label>${t('sort')} <select name="sort" value=${sort} onChange=${(e: any) => { setOffset(0); setSort(e.target.value); }}>
        <option value="">${t('category')}</option><option value="name">${t('name')}</option>
        <option value="host">${t('computer_name')}</option><option value="location">${t('location')}</option>
        <option value="updated">${t('updated')}</option>
      </select></label>
      <button type="submit">${t('search')}</button>
    </form>
    <p class="actions">${t('export')}:
      <a class="button small" href="/api/v1/ledger/export?format=xlsx" download>Excel</a>
      <a class="button small" href="/api/v1/ledger/export?format=csv&encoding=cp932" download>CSV (Shift_JIS)</a>
      <a class="button small" href="/api/v1/ledger/export?format=csv&encoding=utf-8-bom" download>CSV (UTF-8)</a>
      <a class="button small" href="/api/v1/ledger/export?format=json" download>JSON</a>
    </p>
    <${ErrorBox} error=${error} />
    ${!data ? html`<p>${t('loading')}</p>` : html`
      <p class="count" aria-live="polite">${countText(data.total, offset)}</p>
      <table class="grid">
        <thead><tr><th>${t('category')}</th><th>${t('name')}</th><th>${t('computer_name')}</th>
          <th>${t('os')}</th><th>${t('ip')}</th><th>${t('location')}</th><th>${t('remote')}</th>
          <th>${t('support_end')}</th><th>${t('missing')}</th></tr></thead>
        <tbody>${data.items.map((a: any) => html`<tr>
          <td>${t(('cat_' + a.category) as Key)}</td>
          <td><a href=${'#/ledger/' + a.id}>${a.name}</a></td>
          <td>${a.computer_name}</td><td>${a.os} ${a.os_version}</td><td>${a.ips.join(', ')}</td>
          <td>${a.location}</td><td class=${'remote-' + a.remote_maintenance}>${remoteText(a.remote_maintenance)}</td>
          <td>${a.support_end}</td>
          <td class="missing">${a.missing.map((m: string) => fieldLabel(m)).join('、')}</td>
        </tr>`)}</tbody>
      </table>
      <nav class="pager" aria-label="pages">
        <button disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>${t('prev')}</button>
        <button disabled=${offset + PAGE >= data.total} onClick=${() => setOffset(offset + PAGE)}>${t('next')}</button>
      </nav>`}`;
}

export function AuditTable({ items }: { items: any[] }) {
  return html`<table class="grid">
    <thead><tr><th>${t('when')}</th><th>${t('who')}</th><th>${t('from_ip')}</th><th>${t('action')}</th><th>${t('target')}</th></tr></thead>
    <tbody>${items.map((e) => html`<tr>
      <td>${e.at}</td><td>${e.username}</td><td>${e.ip}</td><td>${e.action}</td>
      <td>${e.entity}${e.entity_id ? ':' + e.entity_id : ''}
        ${e.before && e.after && html`<details><summary>diff</summary><pre>${JSON.stringify(e.before, null, 1)}
→ ${JSON.stringify(e.after, null, 1)}</pre></details>`}</td></tr>`)}</tbody></table>`;
}

// Fields a person edits on the asset page, with their input kind.
const EDITABLE: [string, 'text' | 'date' | 'remote' | 'restricted'][] = [
  ['name', 'text'], ['computer_name', 'text'], ['maker', 'text'], ['model', 'text'], ['serial', 'text'],
  ['os', 'text'], ['os_version', 'text'], ['location', 'text'], ['user', 'text'],
  ['purchase_date', 'date'], ['support_end', 'date'], ['remote_maintenance', 'remote'],
  ['remote_method', 'text'], ['remote_source_restricted', 'restricted'], ['remote_confirmed_on', 'date'],
  ['remote_evidence', 'text'], ['notes', 'text'],
];

function valueOf(a: any, f: string): string {
  if (f === 'remote_method') return a.remote.method;
  if (f === 'remote_source_restricted') return a.remote.source_restricted;
  if (f === 'remote_confirmed_on') return a.remote.confirmed_on;
  if (f === 'remote_evidence') return a.remote.evidence;
  return a[f] ?? '';
}

function AssetEdit({ asset, onSaved }: { asset: any; onSaved: (a: any) => void }) {
  const [form, setForm] = useState<Record<string, string>>(
    Object.fromEntries(EDITABLE.map(([f]) => [f, valueOf(asset, f)])));
  const [error, setError] = useState('');
  const [msg, setMsg] = useState('');
  const save = async (e: Event) => {
    e.preventDefault();
    const changed: Record<string, string> = {};
    for (const [f] of EDITABLE) if (form[f] !== valueOf(asset, f)) changed[f] = form[f];
    if (!Object.keys(changed).length) return;
    try {
      onSaved(await api('PATCH', '/api/v1/assets/' + asset.id, changed));
      setError(''); setMsg(t('saved'));
    } catch (err) { setError((err as ApiError).message); }
  };
  const label = (f: string) => f === 'remote_source_restricted' ? t('remote_restricted')
    : f === 'remote_evidence' ? t('remote_evidence') : f === 'serial' ? t('serial') : fieldLabel(f);
  return html`<form class="edit-grid" onSubmit=${save} aria-label=${t('edit')}>
    ${EDITABLE.map(([f, kind]) => html`<label>${label(f)}
      ${kind === 'remote' || kind === 'restricted'
        ? html`<select name=${f} value=${form[f]} onChange=${(e: any) => setForm({ ...form, [f]: e.target.value })}>
            <option value="yes">${kind === 'remote' ? t('remote_yes') : t('restricted_yes')}</option>
            <option value="no">${kind === 'remote' ? t('remote_no') : t('restricted_no')}</option>
            <option value="unknown">${t('remote_unknown_short')}</option></select>`
        : html`<input name=${f} type=${kind === 'date' ? 'date' : 'text'} value=${form[f]}
            onInput=${(e: any) => setForm({ ...form, [f]: e.target.value })} />`}</label>`)}
    <p><button type="submit">${t('save')}</button> <span role="status" class="ok">${msg}</span></p>
    <${ErrorBox} error=${error} />
  </form>`;
}

function AssetDetail({ id }: { id: string }) {
  const [asset, setAsset] = useState<any>(null);
  const [history, setHistory] = useState<any[]>([]);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const loadHistory = () => api('GET', '/api/v1/assets/' + id + '/history').then((h) => setHistory(h.items), () => {});
  useEffect(() => {
    api('GET', '/api/v1/assets/' + id).then(setAsset, (e: ApiError) => setError(e.message));
    loadHistory();
  }, [id]);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!asset) return html`<p>${t('loading')}</p>`;
  const rows: [Key, string][] = [
    ['category', t(('cat_' + asset.category) as Key)], ['computer_name', asset.computer_name],
    ['maker', asset.maker], ['model', asset.model], ['serial', asset.serial],
    ['os', `${asset.os} ${asset.os_version}`], ['ip', asset.ips.join(', ')], ['mac', asset.macs.join(', ')],
    ['location', asset.location], ['user_dept', asset.user], ['purchase_date', asset.purchase_date],
    ['support_end', asset.support_end], ['remote', remoteText(asset.remote_maintenance)],
    ['remote_method', asset.remote.method],
    ['remote_restricted', asset.remote.source_restricted === 'yes' ? t('restricted_yes')
      : asset.remote.source_restricted === 'no' ? t('restricted_no') : t('remote_unknown_short')],
    ['remote_sources', asset.remote.allowed_sources.join(', ')], ['remote_confirmed', asset.remote.confirmed_on],
    ['discovery', asset.discovery_sources.join(', ')], ['last_seen', asset.last_seen || ''], ['notes', asset.notes],
  ];
  return html`<section>
    <p><a href="#/ledger">← ${t('back')}</a></p>
    <h1>${asset.name}</h1>
    <p><button class="small" onClick=${() => setEditing(!editing)}>${editing ? t('close') : t('edit')}</button></p>
    ${editing && html`<${AssetEdit} asset=${asset} onSaved=${(a: any) => { setAsset({ ...asset, ...a, missing: asset.missing }); loadHistory(); }} />`}
    <dl class="props">${rows.map(([k, v]) => html`<dt>${t(k)}</dt><dd>${v || '—'}</dd>`)}
      <dt>${t('missing')}</dt><dd class="missing">${asset.missing.length ? asset.missing.map(fieldLabel).join('、') : '—'}</dd></dl>
    <h2>${t('software')}（${asset.software.length}）</h2>
    ${asset.software.length === 0 ? html`<p class="notice">${t('no_software')}</p>` : html`
      <table class="grid"><thead><tr><th>${t('name')}</th><th>${t('version')}</th><th>${t('supplier')}</th>
        <th>CPE / PURL</th><th>${t('source')}</th></tr></thead>
      <tbody>${asset.software.map((c: any) => html`<tr><td>${c.name}</td><td>${c.version}</td><td>${c.supplier}</td>
        <td class="mono">${c.cpe}${c.cpe && c.purl ? ' ' : ''}${c.purl}</td>
        <td>${c.source}${c.via_model ? '（' + t('via_model') + '）' : ''}</td></tr>`)}</tbody></table>`}
    <h2>${t('history')}</h2>
    <${AuditTable} items=${history} />
  </section>`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function ImportWizard() {
  const [file, setFile] = useState<{ name: string; b64: string } | null>(null);
  const [fields, setFields] = useState<string[]>([]);
  const [profiles, setProfiles] = useState<any[]>([]);
  const [profile, setProfile] = useState('');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [sheet, setSheet] = useState('');
  const [target, setTarget] = useState({ asset: '', product: '' });
  const [report, setReport] = useState<any>(null);
  const [done, setDone] = useState<any>(null);
  const [profileName, setProfileName] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api('GET', '/api/v1/ledger/import/fields').then((d) => setFields(d.fields));
    api('GET', '/api/v1/ledger/profiles').then((d) => setProfiles(d.items), () => {});
  }, []);
  const send = async (dry: boolean, f = file, m = mapping) => {
    if (!f) return;
    setBusy(true); setError('');
    try {
      const body: any = { file_name: f.name, content_base64: f.b64, dry_run: dry, preview: dry, mapping: m };
      if (profile) body.profile = profile;
      if (sheet) body.sheet = sheet;
      if (target.asset) body.asset = target.asset;
      if (target.product) body.product = target.product;
      const r = await api('POST', '/api/v1/ledger/import', body);
      if (dry) { setReport(r); setDone(null); } else { setDone(r); setReport(null); }
    } catch (e) { setError((e as ApiError).message); }
    setBusy(false);
  };
  const choose = async (e: any) => {
    const input = e.target as HTMLInputElement;
    if (!input.files || !input.files[0]) return;
    const f = { name: input.files[0].name, b64: await readBase64(input.files[0]) };
    setFile(f); setMapping({}); setDone(null);
    await send(true, f, {});
  };
  const tables: any[] = report?.tables || [];
  // Headers in the file's column order, each once (sheets may repeat them).
  const headers: string[] = [...new Set<string>(tables.flatMap((tb: any) => tb.columns.map((c: any) => c.header)))];
  const current = (h: string) => mapping[h] ?? (tables.find((tb: any) => h in tb.mapping)?.mapping[h] || '');
  const isLedger = report && (report.format === 'csv' || report.format === 'xlsx');
  return html`<div class="wizard">
    <p class="notice">${t('import_hint')}</p>
    <label>${t('import_file')} <input type="file" name="file" accept=".xlsx,.csv,.txt,.json,.xml" onChange=${choose} /></label>
    <div class="filters">
      <label>${t('import_profile')} <select name="profile" value=${profile} onChange=${(e: any) => setProfile(e.target.value)}>
        <option value="">—</option>${profiles.map((p) => html`<option value=${p.name}>${p.name}</option>`)}</select></label>
      <label>${t('sheet')} <input name="sheet" value=${sheet} onInput=${(e: any) => setSheet(e.target.value)} /></label>
      <label>${t('sbom_asset')} <input name="asset" value=${target.asset} onInput=${(e: any) => setTarget({ ...target, asset: e.target.value })} /></label>
      <label>${t('sbom_product')} <input name="product" placeholder="メーカー/機種" value=${target.product} onInput=${(e: any) => setTarget({ ...target, product: e.target.value })} /></label>
      <button type="button" disabled=${!file || busy} onClick=${() => send(true)}>${t('preview')}</button>
    </div>
    <${ErrorBox} error=${error} />
    ${report && html`<section aria-label=${t('preview')}>
      <h2>${t('preview')}: ${file?.name}</h2>
      <p role="status" class="summary">${isLedger
        ? `${t('would_create')} ${report.created} / ${t('would_update')} ${report.updated} / ${t('unchanged')} ${report.unchanged} / ${t('errors')} ${report.errors.length}`
        : report.format === 'nmap'
          ? `${t('hosts_up')} ${report.hosts_up} / ${t('matched')} ${report.matched} / ${t('tab_discovered')} ${report.unmatched}`
          : `${report.format} ${report.spec_version}: ${report.subject} — ${report.components} ${t('components')} → ${report.target}`}</p>
      ${isLedger && html`
        <h3>${t('mapping')}</h3>
        <table class="grid mapping"><thead><tr><th>${t('header_in_file')}</th><th>${t('ledger_field')}</th></tr></thead>
        <tbody>${headers.map((h) => html`<tr><td>${h}</td><td>
          <select aria-label=${h} value=${current(h)} onChange=${(e: any) => setMapping({ ...mapping, [h]: e.target.value })}>
            <option value="">${t('do_not_import')}</option>
            ${fields.map((f) => html`<option value=${f}>${fieldLabel(f)}</option>`)}</select></td></tr>`)}</tbody></table>
        <p class="filters"><button type="button" disabled=${busy} onClick=${() => send(true)}>${t('preview_again')}</button>
          <label>${t('profile_name')} <input name="profile_name" value=${profileName} onInput=${(e: any) => setProfileName(e.target.value)} /></label>
          <button type="button" disabled=${!profileName} onClick=${async () => {
            const m: Record<string, string> = {};
            for (const h of headers) m[h] = current(h);
            try { await api('POST', '/api/v1/ledger/profiles', { name: profileName, mapping: m }); setError(''); }
            catch (e) { setError((e as ApiError).message); }
          }}>${t('save_profile')}</button></p>
        ${report.errors.length > 0 && html`<h3>${t('errors')}</h3>
          <table class="grid errors"><thead><tr><th>${t('sheet')}</th><th>${t('row')}</th><th>${t('column')}</th><th>${t('message')}</th></tr></thead>
          <tbody>${report.errors.map((e: any) => html`<tr><td>${e.sheet}</td><td>${e.row}</td><td>${e.column}</td><td>${e.message}</td></tr>`)}</tbody></table>`}
        ${(report.preview || []).length > 0 && html`<h3>${t('preview_rows')}</h3>
          <table class="grid"><thead><tr><th>${t('category')}</th><th>${t('name')}</th><th>${t('computer_name')}</th><th>${t('ip')}</th><th>${t('location')}</th><th>${t('missing')}</th></tr></thead>
          <tbody>${report.preview.slice(0, 20).map((a: any) => html`<tr><td>${t(('cat_' + a.category) as Key)}</td><td>${a.name}</td>
            <td>${a.computer_name}</td><td>${a.ips.join(', ')}</td><td>${a.location}</td>
            <td class="missing">${a.missing.map(fieldLabel).join('、')}</td></tr>`)}</tbody></table>`}`}
      <p><button type="button" class="primary" disabled=${busy} onClick=${() => send(false)}>${t('do_import')}</button></p>
    </section>`}
    ${done && html`<p role="status" class="ok">${t('import_done')}: ${done.format === 'nmap'
      ? `${t('matched')} ${done.matched} / ${t('tab_discovered')} ${done.new_pending}`
      : done.components !== undefined ? `${done.components} ${t('components')}`
      : `${t('would_create')} ${done.created} / ${t('would_update')} ${done.updated} / ${t('unchanged')} ${done.unchanged} / ${t('errors')} ${done.errors.length}`}</p>`}
  </div>`;
}

function Discovered() {
  const [items, setItems] = useState<any[]>([]);
  const [choice, setChoice] = useState<Record<number, { category: string; name: string; note: string }>>({});
  const [error, setError] = useState('');
  const load = () => api('GET', '/api/v1/ledger/discovered').then((d) => setItems(d.items), (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const get = (id: number) => choice[id] || { category: 'other', name: '', note: '' };
  const set = (id: number, v: any) => setChoice({ ...choice, [id]: { ...get(id), ...v } });
  const act = async (id: number, what: 'accept' | 'ignore') => {
    const c = get(id);
    try {
      await api('POST', `/api/v1/ledger/discovered/${id}/${what}`,
        what === 'accept' ? { category: c.category, name: c.name } : { note: c.note });
      setError(''); load();
    } catch (e) { setError((e as ApiError).message); }
  };
  return html`<div>
    <p class="notice">${t('discovered_hint')}</p>
    <${ErrorBox} error=${error} />
    ${items.length === 0 ? html`<p>${t('none_pending')}</p>` : html`
    <table class="grid"><thead><tr><th>IP</th><th>MAC</th><th>${t('computer_name')}</th><th>OS</th>
      <th>${t('services')}</th><th>${t('last_seen')}</th><th>${t('operations')}</th></tr></thead>
    <tbody>${items.map((h) => html`<tr>
      <td>${h.ip}</td><td>${h.mac}<br /><small>${h.mac_vendor}</small></td><td>${h.hostnames.join(', ')}</td><td>${h.os_guess}</td>
      <td>${h.services.map((s: any) => html`<div>${s.port}/${s.protocol} ${s.name} ${s.product} ${s.version}</div>`)}</td>
      <td>${h.last_seen}</td>
      <td class="row-actions">
        <select aria-label=${t('category')} value=${get(h.id).category} onChange=${(e: any) => set(h.id, { category: e.target.value })}>
          ${CATS.map((c) => html`<option value=${c}>${t(('cat_' + c) as Key)}</option>`)}</select>
        <input aria-label=${t('name')} placeholder=${t('name')} value=${get(h.id).name} onInput=${(e: any) => set(h.id, { name: e.target.value })} />
        <button class="small" onClick=${() => act(h.id, 'accept')}>${t('accept')}</button><br />
        <input aria-label=${t('ignore_reason')} placeholder=${t('ignore_reason')} value=${get(h.id).note} onInput=${(e: any) => set(h.id, { note: e.target.value })} />
        <button class="small" onClick=${() => act(h.id, 'ignore')}>${t('ignore')}</button>
      </td></tr>`)}</tbody></table>`}
  </div>`;
}

function Status() {
  const [c, setC] = useState<any>(null);
  const [reports, setReports] = useState<any[] | null>(null);
  const [docs, setDocs] = useState<any[]>([]);
  const [systems, setSystems] = useState<Record<number, string>>({});
  const [error, setError] = useState('');
  const loadReports = () => api('GET', '/api/v1/ledger/reports').then((d) => setReports(d.items), () => setReports(null));
  useEffect(() => {
    api('GET', '/api/v1/ledger/completeness').then(setC, (e: ApiError) => setError(e.message));
    api('GET', '/api/v1/ledger/documents').then((d) => setDocs(d.items), () => {});
    api('GET', '/api/v1/systems').then((d) => setSystems(Object.fromEntries(d.items.map((x: any) => [x.id, x.name]))), () => {});
    loadReports();
  }, []);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!c) return html`<p>${t('loading')}</p>`;
  const pct = (s: any) => Math.round(s.complete_ratio * 100) + '%';
  return html`<div>
    <div class="cards">
      <a class="card" href="#/ledger/list/incomplete"><span class="num">${c.overall.incomplete}</span>${t('filter_incomplete')}</a>
      <a class="card" href="#/ledger/list/support_ended"><span class="num">${c.overall.support_ended}</span>${t('filter_support_ended')}</a>
      <a class="card" href="#/ledger/list/remote_attention"><span class="num">${c.remote_attention_ids.length}</span>${t('filter_remote_attention')}</a>
      <a class="card" href="#/ledger/discovered"><span class="num">${c.pending_discovered}</span>${t('tab_discovered')}</a>
    </div>
    <h2>${t('completeness')}（${c.today}）</h2>
    <table class="grid"><thead><tr><th>${t('category')}</th><th>${t('count')}</th><th>${t('filter_incomplete')}</th>
      <th>${t('complete_ratio')}</th><th>${t('filter_support_ended')}</th><th>${t('remote_yes_count')}</th><th>${t('remote_unknown')}</th></tr></thead>
      <tbody>${CATS.map((k) => { const s = c.by_category[k]; return html`<tr><td>${t(('cat_' + k) as Key)}</td>
        <td>${s.total}</td><td>${s.incomplete}</td><td>${pct(s)}</td><td>${s.support_ended}</td><td>${s.remote_yes}</td><td>${s.remote_unknown}</td></tr>`; })}
      <tr class="total"><td>${t('total')}</td><td>${c.overall.total}</td><td>${c.overall.incomplete}</td><td>${pct(c.overall)}</td>
        <td>${c.overall.support_ended}</td><td>${c.overall.remote_yes}</td><td>${c.overall.remote_unknown}</td></tr></tbody></table>
    <h3>${t('missing')}</h3>
    <ul>${Object.entries(c.overall.missing).map(([f, n]) => html`<li>${fieldLabel(f)}: ${n}</li>`)}</ul>
    <h2>MDS/SDS（${t('vendor_systems')} ${c.systems.vendor_systems}）</h2>
    <p>${t('mds_missing')}: ${c.systems.missing_mds.map((s: any) => s.name).join('、') || '—'}</p>
    <p>${t('sds_missing')}: ${c.systems.missing_sds.map((s: any) => s.name).join('、') || '—'}</p>
    ${docs.length > 0 && html`<table class="grid"><thead><tr><th>${t('system')}</th><th>${t('kind')}</th><th>${t('file')}</th><th>${t('received')}</th><th>${t('blank_answers')}</th></tr></thead>
      <tbody>${docs.map((d) => html`<tr><td>${systems[d.system_id] || d.system_id}</td><td>${d.kind.toUpperCase()}</td>
        <td><a href=${'/api/v1/ledger/documents/' + d.id + '/file'} download>${d.file_name}</a></td><td>${d.received_on}</td>
        <td>${d.blank_answers ?? '—'}</td></tr>`)}</tbody></table>`}
    ${reports !== null && html`<h2>${t('reports')}</h2>
      <p><button onClick=${async () => {
        try { await api('POST', '/api/v1/ledger/reports', {}); loadReports(); } catch (e) { setError((e as ApiError).message); }
      }}>${t('make_report')}</button></p>
      <table class="grid"><thead><tr><th>${t('when')}</th><th>${t('who')}</th><th>PDF</th><th>SHA-256</th></tr></thead>
        <tbody>${reports.map((r) => html`<tr><td>${r.generated_at_wareki}<br /><small>${r.generated_at}</small></td><td>${r.generated_by}</td>
          <td><a href=${'/api/v1/ledger/reports/' + r.id + '/pdf'} download>${r.file_name}</a></td><td class="mono">${r.sha256.slice(0, 16)}…</td></tr>`)}</tbody></table>`}
  </div>`;
}
