// アクセスログ: the log-source registry (ログリスト) with each source's status — silent, clock
// skew, senders not registered — and a form to register one; the search with paging; the
// periodic reviews: create one for a period, read its report (PDF), sign it off.
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, ApiError } from './api';
import { t, Key } from './i18n';
import { ErrorBox } from './ledger';

export function Logs({ route, me }: { route: string[]; me: any }) {
  const sub = route[1] || '';
  const tabs: [string, Key][] = [['', 'lg_sources'], ['search', 'lg_search'], ['reviews', 'lg_reviews']];
  const write = me.role === 'admin' || me.role === 'staff';
  let body;
  if (sub === 'search') body = html`<${Search} />`;
  else if (sub === 'reviews') body = html`<${Reviews} write=${write} />`;
  else body = html`<${Sources} write=${write} />`;
  return html`<section><h1>${t('nav_logs')}</h1>
    <nav class="tabs" aria-label=${t('nav_logs')}>${tabs.map(([r, k]) => html`
      <a href=${'#/logs' + (r ? '/' + r : '')} aria-current=${sub === r || (r === '' && sub === 'sources') ? 'page' : undefined}>${t(k)}</a>`)}</nav>
    ${body}</section>`;
}

const STATE_KEYS: Record<string, Key> = {
  ok: 'lg_state_ok', silent: 'lg_state_silent', skew: 'lg_state_skew', never: 'lg_state_never', inactive: 'lg_state_inactive',
};

function jst(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Date(ms).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' });
}

function Sources({ write }: { write: boolean }) {
  const [data, setData] = useState<any>(null);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ name: '', description: '', kind: 'syslog', transport: 'udp', hosts: '', expected_interval_minutes: 60 });
  const load = () => api('GET', '/api/v1/logs/sources').then(setData, (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const add = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await api('POST', '/api/v1/logs/sources', { ...form, expected_interval_minutes: Number(form.expected_interval_minutes) });
      setForm({ ...form, name: '', description: '', hosts: '' });
      load();
    } catch (err) { setError((err as ApiError).message); }
  };
  if (!data) return html`<${ErrorBox} error=${error} />${!error && html`<p>${t('loading')}</p>`}`;
  const alerting = data.sources.filter((s: any) => ['silent', 'skew', 'never'].includes(s.state));
  return html`
    ${alerting.length > 0 && html`<p class="notice" role="status">${t('lg_alerting').replace('{0}', String(alerting.length))}</p>`}
    <table class="grid" aria-label=${t('lg_sources')}>
      <thead><tr><th>${t('lg_source')}</th><th>${t('lg_state')}</th><th>${t('lg_kind')}</th>
        <th>${t('lg_events_24h')}</th><th>${t('lg_last_received')}</th><th>${t('lg_skew')}</th></tr></thead>
      <tbody>${data.sources.map((s: any) => html`<tr data-state=${s.state}>
        <td><strong>${s.name}</strong><div class="small">${s.description}</div></td>
        <td><span class=${'badge state-' + s.state}>${t(STATE_KEYS[s.state] || 'lg_state_ok')}</span></td>
        <td>${s.kind} / ${s.transport}</td>
        <td class="num">${s.events_24h}</td>
        <td>${jst(s.last_received)}</td>
        <td class="num">${s.last_skew_ms == null ? '—' : Math.round(s.last_skew_ms / 1000) + ' s'}</td></tr>`)}</tbody>
    </table>
    ${data.unregistered.length > 0 && html`<h2>${t('lg_unregistered')}</h2>
      <table class="grid"><thead><tr><th>${t('lg_source')}</th><th>${t('lg_host')}</th><th>${t('lg_events')}</th><th>${t('lg_last_received')}</th></tr></thead>
      <tbody>${data.unregistered.map((u: any) => html`<tr><td>${u.source}</td><td>${u.host}</td><td class="num">${u.events}</td><td>${jst(u.last_received)}</td></tr>`)}</tbody></table>`}
    ${write && html`<h2>${t('lg_add_source')}</h2>
      <form class="filters" onSubmit=${add}>
        <label>${t('lg_source')}<input required value=${form.name} onInput=${(e: any) => setForm({ ...form, name: e.target.value })} /></label>
        <label>${t('lg_description')}<input value=${form.description} onInput=${(e: any) => setForm({ ...form, description: e.target.value })} /></label>
        <label>${t('lg_kind')}<select value=${form.kind} onChange=${(e: any) => setForm({ ...form, kind: e.target.value })}>
          ${['syslog', 'atna', 'fhir', 'evtx', 'csv', 'jsonl'].map((k) => html`<option value=${k}>${k}</option>`)}</select></label>
        <label>${t('lg_transport')}<select value=${form.transport} onChange=${(e: any) => setForm({ ...form, transport: e.target.value })}>
          ${['udp', 'tcp', 'tls', 'http', 'file'].map((k) => html`<option value=${k}>${k}</option>`)}</select></label>
        <label>${t('lg_hosts')}<input value=${form.hosts} onInput=${(e: any) => setForm({ ...form, hosts: e.target.value })} /></label>
        <label>${t('lg_interval')}<input type="number" min="1" value=${form.expected_interval_minutes} onInput=${(e: any) => setForm({ ...form, expected_interval_minutes: e.target.value })} /></label>
        <p class="pager"><button type="submit">${t('lg_register')}</button></p>
      </form>`}
    <${ErrorBox} error=${error} />`;
}

function Search() {
  const [q, setQ] = useState({ from: '', to: '', source: '', host: '', user: '', object: '', outcome: '', text: '' });
  const [page, setPage] = useState<any>(null);
  const [before, setBefore] = useState<number[]>([]);
  const [error, setError] = useState('');
  const run = async (cursor?: number) => {
    setError('');
    const params = new URLSearchParams();
    Object.entries(q).forEach(([k, v]) => { if (v) params.set(k, v); });
    params.set('limit', '50');
    if (cursor !== undefined) params.set('before', String(cursor));
    try { setPage(await api('GET', '/api/v1/logs/events?' + params.toString())); } catch (e) { setError((e as ApiError).message); }
  };
  useEffect(() => { run(); }, []);
  const submit = (e: Event) => { e.preventDefault(); setBefore([]); run(); };
  const field = (k: keyof typeof q, label: Key, type = 'text') => html`
    <label>${t(label)}<input name=${k} type=${type} value=${q[k]} onInput=${(e: any) => setQ({ ...q, [k]: e.target.value })} /></label>`;
  return html`
    <form class="filters" onSubmit=${submit} aria-label=${t('lg_search')}>
      ${field('from', 'lg_from', 'date')}${field('to', 'lg_to', 'date')}${field('source', 'lg_source')}
      ${field('host', 'lg_host')}${field('user', 'lg_user')}${field('object', 'lg_object')}
      <label>${t('lg_outcome')}<select name="outcome" value=${q.outcome} onChange=${(e: any) => setQ({ ...q, outcome: e.target.value })}>
        <option value="">—</option><option value="success">${t('lg_success')}</option><option value="failure">${t('lg_failure')}</option></select></label>
      ${field('text', 'lg_text')}
      <p class="pager"><button type="submit">${t('lg_do_search')}</button></p>
    </form>
    <${ErrorBox} error=${error} />
    ${page && html`<p role="status" data-testid="log-total">${t(page.total_exact === false ? 'lg_total_more' : 'lg_total').replace('{0}', page.total.toLocaleString())}</p>
      <table class="grid" aria-label=${t('lg_results')}>
        <thead><tr><th>${t('lg_time')}</th><th>${t('lg_source')}</th><th>${t('lg_host')}</th><th>${t('lg_user')}</th>
          <th>${t('lg_action')}</th><th>${t('lg_object')}</th><th>${t('lg_outcome')}</th><th>${t('lg_message')}</th></tr></thead>
        <tbody>${page.items.map((e: any) => html`<tr>
          <td class="nowrap">${(e.time_jst || e.time || '').slice(0, 19).replace('T', ' ')}</td><td>${e.source}</td><td>${e.host}</td>
          <td>${e.user}</td><td>${e.action}</td><td>${e.object}</td>
          <td class="nowrap">${e.outcome === 'failure' ? t('lg_failure') : e.outcome === 'success' ? t('lg_success') : '—'}</td>
          <td class="small">${e.message}</td></tr>`)}</tbody>
      </table>
      <p class="pager">
        ${before.length > 0 && html`<button onClick=${() => { const b = [...before]; b.pop(); setBefore(b); run(b.length ? b[b.length - 1] : undefined); }}>${t('lg_newer')}</button>`}
        ${page.next_before != null && html`<button onClick=${() => { setBefore([...before, page.next_before]); run(page.next_before); }}>${t('lg_older')}</button>`}
      </p>`}`;
}

function Reviews({ write }: { write: boolean }) {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
  const monthAgo = new Date(Date.now() - 30 * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
  const [items, setItems] = useState<any[] | null>(null);
  const [from, setFrom] = useState(monthAgo);
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [comment, setComment] = useState<Record<number, string>>({});
  const load = () => api('GET', '/api/v1/logs/reviews').then((r: any) => setItems(r.items), (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try { await api('POST', '/api/v1/logs/reviews', { from, to }); load(); } catch (err) { setError((err as ApiError).message); }
    setBusy(false);
  };
  const signoff = async (id: number) => {
    setError('');
    try { await api('POST', `/api/v1/logs/reviews/${id}/signoff`, { comment: comment[id] || '' }); load(); } catch (err) { setError((err as ApiError).message); }
  };
  return html`
    ${write && html`<form class="filters" onSubmit=${create} aria-label=${t('lg_new_review')}>
      <label>${t('lg_from')}<input type="date" required value=${from} onInput=${(e: any) => setFrom(e.target.value)} /></label>
      <label>${t('lg_to')}<input type="date" required value=${to} onInput=${(e: any) => setTo(e.target.value)} /></label>
      <p class="pager"><button type="submit" disabled=${busy}>${busy ? t('loading') : t('lg_new_review')}</button></p>
    </form>`}
    <${ErrorBox} error=${error} />
    ${items && items.length === 0 && html`<p>${t('lg_no_reviews')}</p>`}
    ${items && items.map((r: any) => html`<article class="card-block" data-review=${r.id}>
      <h2>${t('lg_review')} ${r.period_from} 〜 ${r.period_to}</h2>
      <ul class="facts">
        <li>${t('lg_events')}: <strong>${r.totals?.events}</strong></li>
        <li>${t('lg_silent')}: <strong>${r.totals?.sources_silent}</strong></li>
        <li>${t('lg_failed')}: <strong>${r.totals?.logons_failed}</strong>（${t('lg_bursts')} ${r.totals?.failed_bursts}）</li>
        <li>${t('lg_off_hours')}: <strong>${r.totals?.off_hours_logons}</strong></li>
        <li>${t('lg_admin')}: <strong>${r.totals?.admin_actions}</strong></li>
        <li>${t('lg_cleared')}: <strong>${r.totals?.log_cleared}</strong></li>
        <li>${t('lg_remote')}: <strong>${r.totals?.remote_logons}</strong></li>
        <li>${t('lg_patients')}: <strong>${r.totals?.patients_many_users}</strong> ／ ${t('lg_users_many')}: <strong>${r.totals?.users_many_patients}</strong></li>
      </ul>
      <p><a href=${`/api/v1/logs/reviews/${r.id}/report`} download>${t('lg_report_pdf')}</a>
        <span class="small"> SHA-256 ${r.report_sha256.slice(0, 16)}… ／ ${t('lg_store_state')} ${r.store_size}</span></p>
      ${r.signed
        ? html`<p class="ok" role="status">${t('lg_signed_by').replace('{0}', r.signed_by).replace('{1}', r.signed_at_jst || '')}${r.signoff_comment ? '「' + r.signoff_comment + '」' : ''}</p>`
        : write && html`<p class="pager"><label>${t('lg_comment')}<input value=${comment[r.id] || ''} onInput=${(e: any) => setComment({ ...comment, [r.id]: e.target.value })} /></label>
            <button onClick=${() => signoff(r.id)}>${t('lg_signoff')}</button></p>`}
    </article>`)}`;
}
