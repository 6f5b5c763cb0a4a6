// The MHLW checklist: per fiscal year and form, each item's suggested answer from live data
// (with its reasons and evidence) beside the human answers of the first and second check; the
// answer form; exports; and the organisation's records the checklist asks about.
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, ApiError } from './api';
import { t } from './i18n';
import { ErrorBox } from './ledger';

const ANSWERS = ['yes', 'no', 'unknown', 'not_applicable'];
const label = (a: string | null | undefined) =>
  a ? (t(('ans_' + a) as any) || a) : '—';
const today = () => new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);

export function Checklist({ route, me }: { route: string[]; me: any }) {
  const sub = route[1] || '';
  if (sub === 'item') return html`<section><${ItemPage} route=${route} me=${me} /></section>`;
  const vendorUser = me.role === 'vendor';
  const tabs = html`<nav class="tabs" aria-label=${t('nav_checklist')}>
    ${!vendorUser && html`<a href="#/checklist" aria-current=${sub === '' ? 'page' : undefined}>${t('cl_hospital')}</a>`}
    <a href="#/checklist/vendor" aria-current=${sub === 'vendor' ? 'page' : undefined}>${t('cl_vendor')}</a>
    <a href="#/checklist/org" aria-current=${sub === 'org' ? 'page' : undefined}>${t('cl_org')}</a>
    ${['admin', 'staff'].includes(me.role) && html`<a href="#/checklist/share" aria-current=${sub === 'share' ? 'page' : undefined}>${t('cl_share')}</a>`}
  </nav>`;
  let body;
  if (sub === 'org') body = html`<${OrgRecords} me=${me} />`;
  else if (sub === 'share') body = html`<${ShareLinks} />`;
  else if (sub === 'vendor' || vendorUser) body = html`<${Assessment} form="vendor" me=${me} key="vendor" />`;
  else body = html`<${Assessment} form="hospital" me=${me} key="hospital" />`;
  return html`<section><h1>${t('nav_checklist')}</h1>${tabs}${body}</section>`;
}

function Assessment({ form, me }: { form: string; me: any }) {
  const [forms, setForms] = useState<any>(null);
  const [year, setYear] = useState('');
  const [vendors, setVendors] = useState<any[]>([]);
  const [vendor, setVendor] = useState('');
  const [data, setData] = useState<any>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState('');
  const canWrite = ['admin', 'staff', 'vendor'].includes(me.role);
  useEffect(() => {
    api('GET', '/api/v1/checklist/forms').then((f) => { setForms(f); setYear(f.current_year); }, (e: ApiError) => setError(e.message));
    if (form === 'vendor' && me.role !== 'vendor' && me.role !== 'inspector')
      api('GET', '/api/v1/vendors').then((v) => { setVendors(v.items); if (v.items[0]) setVendor(String(v.items[0].id)); }, () => {});
  }, []);
  const query = () => new URLSearchParams({ year, form, ...(vendor ? { vendor_id: vendor } : {}) }).toString();
  const load = () => {
    if (!year || (form === 'vendor' && me.role !== 'vendor' && !vendor && vendors.length)) return;
    api('GET', '/api/v1/checklist/assessment?' + query()).then((d) => { setData(d); setError(''); }, (e: ApiError) => setError(e.message));
  };
  useEffect(load, [year, vendor]);
  const years = forms ? Array.from(new Set(forms.items.map((f: any) => f.year))) as string[] : [];
  const s = data?.summary;
  return html`
    <div class="filters">
      <label>${t('cl_year')} <select value=${year} onChange=${(e: any) => setYear(e.target.value)}>
        ${years.map((y) => html`<option value=${y}>${'令和' + y.slice(1) + '年度'}</option>`)}</select></label>
      ${vendors.length > 0 && html`<label>${t('vendors_total')} <select value=${vendor} onChange=${(e: any) => setVendor(e.target.value)}>
        ${vendors.map((v) => html`<option value=${v.id}>${v.name}</option>`)}</select></label>`}
      ${data && html`<a class="button" href=${'/api/v1/checklist/export?format=xlsx&' + query()}>${t('cl_export_xlsx')}</a>
        <a class="button" href=${'/api/v1/checklist/export?format=pdf&' + query()}>${t('cl_export_pdf')}</a>`}
    </div>
    ${error && html`<${ErrorBox} error=${error} />`}
    ${form === 'vendor' && me.role === 'admin' && vendor && html`<${VendorInvite} vendorId=${vendor}
      vendorName=${vendors.find((v) => String(v.id) === vendor)?.name || ''} />`}
    ${data && html`
      <h2>${data.title}${data.vendor_name ? '（' + data.vendor_name + '）' : ''}</h2>
      ${data.carried_from && html`<p class="notice">${t('cl_carried')}</p>`}
      <div class="cards" aria-label=${t('cl_summary')}>
        <div class="card"><b data-testid="answered">${s.answered} / ${s.rows}</b><span>${t('cl_answered')}</span></div>
        <div class="card"><b>${s.yes}</b><span>${t('ans_yes')}</span></div>
        <div class="card"><b>${s.no}</b><span>${t('ans_no')}</span></div>
        <div class="card"><b>${s.target_soon} / ${s.target_overdue}</b><span>${t('cl_targets')}</span></div>
        <div class="card"><b>${data.disagreements.length}</b><span>${t('cl_disagree')}</span></div>
      </div>
      ${data.disagreements.length > 0 && html`<ul class="warn-list">${data.disagreements.map((d: any) => html`<li>
        ${d.item_id}: ${t('cl_hospital')} ${label(d.hospital_answer)} / ${d.vendor_name} ${label(d.vendor_answer)}</li>`)}</ul>`}
      <table class="grid checklist">
        <thead><tr><th>${t('cl_no')}</th><th>${t('cl_item')}</th><th>${t('cl_row')}</th><th>${t('cl_suggested')}</th><th>${t('cl_answer')}</th></tr></thead>
        <tbody>${data.items.map((it: any) => {
          const key = it.id + '/' + it.row;
          return html`<tr data-item=${it.id} data-row=${it.row}>
            <td><a href=${'#/checklist/item/' + encodeURIComponent(it.id) + '/' + it.row + '/' + form + '/' + (data.vendor_id || 0) + '/' + data.year}>${it.number}</a></td>
            <td>${it.text}${!it.verified && html` <span class="badge muted" title=${t('cl_unverified_hint')}>${t('cl_unverified')}</span>`}
              ${it.reference && html` <span class="badge muted">${t('cl_reference')}</span>`}</td>
            <td>${it.row_label}</td>
            <td><span class=${'badge ans-' + it.suggested}>${label(it.suggested)}</span>
              <ul class="reasons">${it.reasons.map((r: string) => html`<li>${r}</li>`)}</ul>
              ${it.evidence.length > 0 && html`<div class="evidence">${it.evidence.map((e: any) => html`<a href=${e.link}>${e.label}</a> `)}</div>`}</td>
            <td><span class=${'badge ans-' + (it.answer || 'none')}>${label(it.answer)}</span>
              ${it.first && html`<div class="small">${t('cl_first')}: ${label(it.first.answer)} ${it.first.checked_on}${it.first.target_on ? ' → ' + it.first.target_on : ''}</div>`}
              ${it.second && html`<div class="small">${t('cl_second')}: ${label(it.second.answer)} ${it.second.checked_on}</div>`}
              ${canWrite && html`<button class="link" onClick=${() => setOpen(open === key ? '' : key)}>${t('cl_do_answer')}</button>`}
              ${open === key && html`<${AnswerForm} item=${it} year=${data.year} form=${form} vendor=${data.vendor_id} onSaved=${() => { setOpen(''); load(); }} />`}</td>
          </tr>`;
        })}</tbody>
      </table>`}`;
}

function AnswerForm({ item, year, form, vendor, onSaved }: any) {
  const [answer, setAnswer] = useState(item.suggested === 'yes' || item.suggested === 'no' ? item.suggested : 'yes');
  const [date, setDate] = useState(today());
  const [target, setTarget] = useState('');
  const [round, setRound] = useState(item.first ? 2 : 1);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const save = (e: Event) => {
    e.preventDefault();
    api('POST', '/api/v1/checklist/answers', {
      year, form, vendor_id: vendor, item_id: item.id, row: item.row, round, answer,
      checked_on: date, target_on: answer === 'no' ? target : '', note,
    }).then(onSaved, (err: ApiError) => setError(err.message));
  };
  return html`<form class="answer-form" onSubmit=${save} aria-label=${t('cl_do_answer')}>
    <label>${t('cl_round')} <select value=${round} onChange=${(e: any) => setRound(Number(e.target.value))}>
      <option value="1">${t('cl_first')}</option><option value="2">${t('cl_second')}</option></select></label>
    <label>${t('cl_answer')} <select name="answer" value=${answer} onChange=${(e: any) => setAnswer(e.target.value)}>
      ${ANSWERS.map((a) => html`<option value=${a}>${label(a)}</option>`)}</select></label>
    <label>${t('cl_checked_on')} <input type="date" name="checked_on" value=${date} onInput=${(e: any) => setDate(e.target.value)} /></label>
    ${answer === 'no' && html`<label>${t('cl_target')} <input type="date" name="target_on" value=${target} onInput=${(e: any) => setTarget(e.target.value)} /></label>`}
    <label>${t('cl_note')} <input name="note" value=${note} onInput=${(e: any) => setNote(e.target.value)} /></label>
    <button type="submit">${t('save')}</button>
    ${error && html`<${ErrorBox} error=${error} />`}
  </form>`;
}

function OrgRecords({ me }: { me: any }) {
  const [d, setD] = useState<any>(null);
  const [error, setError] = useState('');
  const load = () => Promise.all(['roles', 'contacts', 'bcp', 'drills'].map((k) => api('GET', '/api/v1/org/' + k)))
    .then(([roles, contacts, bcp, drills]) => setD({ roles: roles.items, contacts: contacts.items, bcp: bcp.items, drills: drills.items }),
      (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const [c, setC] = useState({ category: 'police', organisation: '', phone: '' });
  const canWrite = ['admin', 'staff', 'vendor'].includes(me.role);
  const add = (e: Event) => {
    e.preventDefault();
    api('POST', '/api/v1/org/contacts', { ...c, call_order: (d?.contacts.length || 0) + 1 })
      .then(() => { setC({ category: 'police', organisation: '', phone: '' }); setError(''); load(); }, (err: ApiError) => setError(err.message));
  };
  if (!d) return error ? html`<${ErrorBox} error=${error} />` : html`<p>…</p>`;
  return html`
    <h2>${t('cl_roles')}</h2>
    <table class="grid" data-testid="roles"><tbody>${d.roles.map((r: any) => html`<tr><td>${t(('role_' + r.role) as any)}</td><td>${r.person}</td><td>${r.title}</td><td>${r.appointed_on}</td>
      <td>${r.approval}${r.approval_file_id && html` <a href=${'/api/v1/files/' + r.approval_file_id}>${t('file')}</a>`}</td></tr>`)}</tbody></table>
    ${canWrite && me.role !== 'vendor' && html`<${RecordForm} name=${t('cl_add_role')} path="/api/v1/org/roles" fileField="approval_file_id" onSaved=${load}
      fields=${[['role', t('cl_role'), 'select:security_officer,planning_manager,operations'], ['person', t('cl_person')], ['title', t('cl_title')],
                ['appointed_on', t('cl_appointed'), 'date'], ['approval', t('cl_approval')]]} />`}
    <h2>${t('cl_contacts')}</h2>
    <p><a class="button" href="/api/v1/org/contacts/chart.svg">${t('cl_chart_svg')}</a>
      <a class="button" href="/api/v1/org/contacts/chart.pdf">${t('cl_chart_pdf')}</a>
      <a class="button" href="/api/v1/org/contacts/poster.pdf">${t('cl_poster')}</a></p>
    <table class="grid" data-testid="contacts"><thead><tr><th>#</th><th>${t('category')}</th><th>${t('cl_organisation')}</th><th>${t('cl_person')}</th><th>${t('cl_phone')}</th></tr></thead>
      <tbody>${d.contacts.map((x: any) => html`<tr><td>${x.call_order}</td><td>${t(('contact_' + x.category) as any)}</td><td>${x.organisation}</td><td>${x.person}</td><td>${x.phone}</td></tr>`)}</tbody></table>
    ${canWrite && html`<form class="filters" onSubmit=${add} aria-label=${t('cl_add_contact')}>
      <label>${t('category')} <select name="category" value=${c.category} onChange=${(e: any) => setC({ ...c, category: e.target.value })}>
        ${['internal', 'vendor', 'mhlw', 'mhlw_desk', 'police', 'prefecture', 'health_center', 'security', 'other'].map((k) => html`<option value=${k}>${t(('contact_' + k) as any)}</option>`)}</select></label>
      <label>${t('cl_organisation')} <input name="organisation" value=${c.organisation} onInput=${(e: any) => setC({ ...c, organisation: e.target.value })} /></label>
      <label>${t('cl_phone')} <input name="phone" value=${c.phone} onInput=${(e: any) => setC({ ...c, phone: e.target.value })} /></label>
      <button type="submit">${t('cl_add_contact')}</button></form>`}
    ${error && html`<${ErrorBox} error=${error} />`}
    <h2>BCP</h2>
    <table class="grid" data-testid="bcp"><tbody>${d.bcp.map((b: any) => html`<tr><td>${b.title}</td><td>${b.version}</td><td>${b.approved_on}</td><td>${b.reviewed_on}</td>
      <td>${b.file_id && html`<a href=${'/api/v1/files/' + b.file_id}>${t('file')}</a>`}</td></tr>`)}</tbody></table>
    ${canWrite && me.role !== 'vendor' && html`<${RecordForm} name=${t('cl_add_bcp')} path="/api/v1/org/bcp" fileField="file_id" onSaved=${load}
      fields=${[['title', t('cl_bcp_title')], ['version', t('cl_version')], ['approved_on', t('cl_approved'), 'date'], ['reviewed_on', t('cl_reviewed'), 'date']]} />`}
    <h2>${t('cl_drills')}</h2>
    ${d.drills.length === 0 ? html`<p class="notice">${t('cl_no_drills')}</p>` :
      html`<table class="grid" data-testid="drills"><tbody>${d.drills.map((x: any) => html`<tr><td>${x.held_on}</td><td>${x.scenario}</td><td>${x.participants}</td><td>${x.findings}</td>
        <td>${x.file_id && html`<a href=${'/api/v1/files/' + x.file_id}>${t('file')}</a>`}</td></tr>`)}</tbody></table>`}
    ${canWrite && me.role !== 'vendor' && html`<${RecordForm} name=${t('cl_add_drill')} path="/api/v1/org/drills" fileField="file_id" onSaved=${load}
      fields=${[['held_on', t('cl_held_on'), 'date'], ['scenario', t('cl_scenario')], ['participants', t('cl_participants')], ['findings', t('cl_findings')]]} />`}`;
}

// One item: the form's text and guidance, mamori's reasons and evidence, attached evidence, the
// answer form and the history of answers.
function ItemPage({ route, me }: { route: string[]; me: any }) {
  const [id, row, form, vendor, year] = [decodeURIComponent(route[2] || ''), route[3] || 'general', route[4] || 'hospital', route[5] || '0', route[6] || ''];
  const [data, setData] = useState<any>(null);
  const [hist, setHist] = useState<any[]>([]);
  const [error, setError] = useState('');
  const q = new URLSearchParams({ year, form, ...(vendor !== '0' ? { vendor_id: vendor } : {}) }).toString();
  const load = () => {
    api('GET', '/api/v1/checklist/assessment?' + q).then(setData, (e: ApiError) => setError(e.message));
    api('GET', '/api/v1/checklist/history?' + q + '&item_id=' + encodeURIComponent(id)).then((h) => setHist(h.items), () => {});
  };
  useEffect(load, []);
  const canWrite = ['admin', 'staff', 'vendor'].includes(me.role);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!data) return html`<p>…</p>`;
  const it = data.items.find((x: any) => x.id === id && x.row === row);
  if (!it) return html`<${ErrorBox} error=${id} />`;
  const attached = data.evidence.filter((e: any) => e.item_id === id);
  return html`
    <p><a href=${form === 'vendor' ? '#/checklist/vendor' : '#/checklist'}>← ${data.title}</a></p>
    <h1>${it.number} ${it.row_label}</h1>
    <p class="item-text">${it.text}${!it.verified && html` <span class="badge muted">${t('cl_unverified')}</span>`}</p>
    ${it.confidence_note && html`<p class="small">${it.confidence_note}</p>`}
    ${it.guidance && html`<h2>${t('cl_guidance')}</h2><p>${it.guidance}</p>`}
    ${it.evidence_expected.length > 0 && html`<h2>${t('cl_expected')}</h2><ul>${it.evidence_expected.map((e: string) => html`<li>${e}</li>`)}</ul>`}
    <h2>${t('cl_suggested')}</h2>
    <p><span class=${'badge ans-' + it.suggested}>${label(it.suggested)}</span></p>
    <ul class="reasons">${it.reasons.map((r: string) => html`<li>${r}</li>`)}</ul>
    <div class="evidence">${it.evidence.map((e: any) => html`<a href=${e.link}>${e.label}</a> `)}</div>
    <h2>${t('cl_attached')}</h2>
    ${attached.length === 0 ? html`<p class="small">—</p>` : html`<ul data-testid="attached">${attached.map((e: any) => html`<li>
      ${e.kind === 'file' ? html`<a href=${'/api/v1/files/' + e.file_id}>${e.label}</a>` : html`<a href=${e.link} rel="noopener">${e.label}</a>`} <span class="small">${e.added_by}</span></li>`)}</ul>`}
    ${canWrite && html`<${EvidenceForm} item=${it} data=${data} form=${form} onSaved=${load} />`}
    <h2>${t('cl_answer')}</h2>
    <p>${t('cl_first')}: ${it.first ? label(it.first.answer) + ' ' + it.first.checked_on + (it.first.target_on ? ' → ' + it.first.target_on : '') : '—'}　
       ${t('cl_second')}: ${it.second ? label(it.second.answer) + ' ' + it.second.checked_on : '—'}</p>
    ${canWrite && html`<${AnswerForm} item=${it} year=${data.year} form=${form} vendor=${data.vendor_id} onSaved=${load} />`}
    <h2>${t('cl_history')}</h2>
    <table class="grid" data-testid="history"><tbody>${hist.map((h: any) => html`<tr><td>${new Date(h.at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}</td><td>${h.username}</td>
      <td>${h.after?.round === 2 ? t('cl_second') : t('cl_first')}</td><td>${label(h.after?.answer)}</td><td>${h.after?.checked_on || ''}</td><td>${h.after?.target_on || ''}</td><td>${h.after?.note || ''}</td></tr>`)}</tbody></table>`;
}

function EvidenceForm({ item, data, form, onSaved }: any) {
  const [labelText, setLabel] = useState('');
  const [link, setLink] = useState('');
  const [error, setError] = useState('');
  const base = { year: data.year, form, vendor_id: data.vendor_id || undefined, item_id: item.id };
  const upload = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const f = input.files?.[0];
    if (!f) return;
    const buf = new Uint8Array(await f.arrayBuffer());
    let bin = '';
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    try {
      const stored = await api('POST', '/api/v1/files', { file_name: f.name, content_type: f.type, content_base64: btoa(bin) });
      await api('POST', '/api/v1/checklist/evidence', { ...base, kind: 'file', file_id: stored.id, label: labelText || f.name });
      setLabel(''); setError(''); input.value = ''; onSaved();
    } catch (err: any) { setError(err.message); }
  };
  const addLink = (e: Event) => {
    e.preventDefault();
    api('POST', '/api/v1/checklist/evidence', { ...base, kind: 'link', link, label: labelText || link })
      .then(() => { setLink(''); setLabel(''); setError(''); onSaved(); }, (err: ApiError) => setError(err.message));
  };
  return html`<form class="answer-form" onSubmit=${addLink} aria-label=${t('cl_add_evidence')}>
    <label>${t('cl_evidence_label')} <input name="label" value=${labelText} onInput=${(e: any) => setLabel(e.target.value)} /></label>
    <label>${t('file')} <input type="file" name="file" onChange=${upload} /></label>
    <label>${t('cl_link')} <input name="link" value=${link} onInput=${(e: any) => setLink(e.target.value)} /></label>
    <button type="submit">${t('cl_add_link')}</button>
    ${error && html`<${ErrorBox} error=${error} />`}
  </form>`;
}

function ShareLinks() {
  const [items, setItems] = useState<any[]>([]);
  const [days, setDays] = useState(14);
  const [note, setNote] = useState('');
  const [created, setCreated] = useState('');
  const [error, setError] = useState('');
  const load = () => api('GET', '/api/v1/checklist/share').then((r) => setItems(r.items), (e: ApiError) => setError(e.message));
  useEffect(() => { load(); }, []);
  const create = (e: Event) => {
    e.preventDefault();
    api('POST', '/api/v1/checklist/share', { days, note }).then((r) => { setCreated(location.origin + r.path); setError(''); load(); }, (err: ApiError) => setError(err.message));
  };
  return html`
    <p>${t('cl_share_help')}</p>
    <form class="filters" onSubmit=${create} aria-label=${t('cl_share_create')}>
      <label>${t('cl_share_days')} <input type="number" name="days" min="1" max="30" value=${days} onInput=${(e: any) => setDays(Number(e.target.value))} /></label>
      <label>${t('cl_note')} <input name="note" value=${note} onInput=${(e: any) => setNote(e.target.value)} /></label>
      <button type="submit">${t('cl_share_create')}</button></form>
    ${created && html`<p class="notice" role="status">${t('cl_share_once')}<br /><code data-testid="share-url">${created}</code></p>`}
    ${error && html`<${ErrorBox} error=${error} />`}
    <table class="grid"><tbody>${items.map((l: any) => html`<tr><td>${l.prefix}…</td><td>${l.year}</td><td>${l.note}</td>
      <td>${new Date(l.expires_at).toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo' })}</td>
      <td>${l.revoked ? t('cl_revoked') : html`<button class="link" onClick=${() => api('DELETE', '/api/v1/checklist/share/' + l.id).then(load)}>${t('cl_revoke')}</button>`}</td></tr>`)}</tbody></table>`;
}

// What an inspector opens from a share link: no login, read only.
export function SharedView({ token }: { token: string }) {
  const [vendor, setVendor] = useState('');
  const [data, setData] = useState<any>(null);
  const [error, setError] = useState('');
  const q = vendor ? '?form=vendor&vendor_id=' + vendor : '';
  useEffect(() => {
    api('GET', '/api/v1/share/' + token + '/assessment' + q).then((d) => { setData(d); setError(''); }, (e: ApiError) => setError(e.message));
  }, [vendor]);
  if (error) return html`<main class="shared"><${ErrorBox} error=${error} /></main>`;
  if (!data) return html`<main class="shared"><p>…</p></main>`;
  return html`<main class="shared" id="main">
    <p class="notice">${t('cl_shared_notice')}</p>
    <h1>${data.org_name}</h1>
    <div class="filters"><label>${t('cl_form')} <select value=${vendor} onChange=${(e: any) => setVendor(e.target.value)}>
      <option value="">${t('cl_hospital')}</option>
      ${data.vendors.map((v: any) => html`<option value=${v.id}>${t('cl_vendor')}（${v.name}）</option>`)}</select></label>
      <a class="button" href=${'/api/v1/share/' + token + '/export?format=pdf'}>${t('cl_export_pdf')}</a>
      <a class="button" href=${'/api/v1/share/' + token + '/export?format=xlsx'}>${t('cl_export_xlsx')}</a></div>
    <h2>${data.title}${data.vendor_name ? '（' + data.vendor_name + '）' : ''}</h2>
    <table class="grid checklist"><thead><tr><th>${t('cl_no')}</th><th>${t('cl_item')}</th><th>${t('cl_row')}</th><th>${t('cl_answer')}</th><th>${t('cl_suggested')}</th></tr></thead>
      <tbody>${data.items.map((it: any) => html`<tr data-item=${it.id}><td>${it.number}</td><td>${it.text}</td><td>${it.row_label}</td>
        <td>${label(it.answer)}${it.first?.target_on ? html`<div class="small">${t('cl_target')}: ${it.first.target_on}</div>` : ''}</td>
        <td><span class=${'badge ans-' + it.suggested}>${label(it.suggested)}</span><ul class="reasons">${it.reasons.map((r: string) => html`<li>${r}</li>`)}</ul>
          <div class="evidence">${shareEvidence(token, it, data.evidence).map((e) => html`<a href=${e.href}>${e.label}</a> `)}</div></td></tr>`)}</tbody></table>
  </main>`;
}

// The hospital invites a vendor: a vendor user bound to that vendor, with a one-time password and
// a second factor required at first login; the vendor then fills its own 事業者確認用 form.
function VendorInvite({ vendorId, vendorName }: { vendorId: string; vendorName: string }) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [done, setDone] = useState<any>(null);
  const [error, setError] = useState('');
  const password = () => {
    const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_!#%+'];
    const bytes = crypto.getRandomValues(new Uint32Array(16));
    let p = '';
    bytes.forEach((b, i) => { const set = sets[i % sets.length]; p += set[b % set.length]; });
    return p;
  };
  const invite = (e: Event) => {
    e.preventDefault();
    const pw = password();
    api('POST', '/api/v1/users', { username, display_name: vendorName + ' 担当', role: 'vendor', vendor_id: Number(vendorId), password: pw, totp_required: true })
      .then(() => { setDone({ username, pw }); setError(''); }, (err: ApiError) => setError(err.message));
  };
  if (!open) return html`<p><button class="link" onClick=${() => setOpen(true)}>${t('cl_invite')}（${vendorName}）</button></p>`;
  return html`<form class="answer-form" onSubmit=${invite} aria-label=${t('cl_invite')}>
    <p class="small">${t('cl_invite_help')}</p>
    <label>${t('username')} <input name="username" value=${username} onInput=${(e: any) => setUsername(e.target.value)} /></label>
    <button type="submit">${t('cl_invite')}</button>
    ${done && html`<p class="notice" role="status">${t('cl_invite_done')}<br />${t('username')}: <code>${done.username}</code>　${t('password')}: <code data-testid="invite-password">${done.pw}</code></p>`}
    ${error && html`<${ErrorBox} error=${error} />`}
  </form>`;
}

// A small form for one organisation record, with an optional file stored first as evidence.
function RecordForm({ name, path, fields, fileField, onSaved }: { name: string; path: string; fields: string[][]; fileField: string; onSaved: () => void }) {
  const [v, setV] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const body: any = {};
      for (const [k, , kind] of fields) {
        const val = v[k] ?? (kind?.startsWith('select:') ? kind.slice(7).split(',')[0] : '');
        if (val !== '') body[k] = val;
      }
      if (file) {
        const buf = new Uint8Array(await file.arrayBuffer());
        let bin = '';
        for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
        const stored = await api('POST', '/api/v1/files', { file_name: file.name, content_type: file.type, content_base64: btoa(bin) });
        body[fileField] = stored.id;
      }
      await api('POST', path, body);
      setV({}); setFile(null); setError(''); onSaved();
    } catch (err: any) { setError(err.message); }
  };
  return html`<form class="answer-form" onSubmit=${submit} aria-label=${name}>
    ${fields.map(([k, lbl, kind]) => kind?.startsWith('select:')
      ? html`<label>${lbl} <select name=${k} value=${v[k] || kind.slice(7).split(',')[0]} onChange=${(e: any) => setV({ ...v, [k]: e.target.value })}>
          ${kind.slice(7).split(',').map((o) => html`<option value=${o}>${t(('role_' + o) as any)}</option>`)}</select></label>`
      : html`<label>${lbl} <input name=${k} type=${kind === 'date' ? 'date' : 'text'} value=${v[k] || ''} onInput=${(e: any) => setV({ ...v, [k]: e.target.value })} /></label>`)}
    <label>${t('file')} <input type="file" name="file" onChange=${(e: any) => setFile(e.target.files?.[0] || null)} /></label>
    <button type="submit">${name}</button>
    ${error && html`<${ErrorBox} error=${error} />`}
  </form>`;
}

// Evidence an inspector can open through the link: files (through the link's own path) and
// outside links; the ledger's screens need an account and are left out.
function shareEvidence(token: string, it: any, attached: any[]): { href: string; label: string }[] {
  const out: { href: string; label: string }[] = [];
  for (const e of it.evidence) {
    const m = /^\/api\/v1\/files\/(\d+)$/.exec(e.link);
    if (m) out.push({ href: `/api/v1/share/${token}/files/${m[1]}`, label: e.label });
  }
  for (const e of attached.filter((x) => x.item_id === it.id)) {
    if (e.kind === 'file') out.push({ href: `/api/v1/share/${token}/files/${e.file_id}`, label: e.label });
    else if (/^https?:\/\//.test(e.link)) out.push({ href: e.link, label: e.label });
  }
  return out;
}
