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
  const vendorUser = me.role === 'vendor';
  const tabs = html`<nav class="tabs" aria-label=${t('nav_checklist')}>
    ${!vendorUser && html`<a href="#/checklist" aria-current=${sub === '' ? 'page' : undefined}>${t('cl_hospital')}</a>`}
    <a href="#/checklist/vendor" aria-current=${sub === 'vendor' ? 'page' : undefined}>${t('cl_vendor')}</a>
    <a href="#/checklist/org" aria-current=${sub === 'org' ? 'page' : undefined}>${t('cl_org')}</a>
  </nav>`;
  let body;
  if (sub === 'org') body = html`<${OrgRecords} me=${me} />`;
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
            <td>${it.number}</td>
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
    <table class="grid"><tbody>${d.roles.map((r: any) => html`<tr><td>${t(('role_' + r.role) as any)}</td><td>${r.person}</td><td>${r.title}</td><td>${r.appointed_on}</td><td>${r.approval}</td></tr>`)}</tbody></table>
    <h2>${t('cl_contacts')} <a class="button" href="/api/v1/org/contacts/chart.pdf">${t('cl_chart_pdf')}</a></h2>
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
    <table class="grid"><tbody>${d.bcp.map((b: any) => html`<tr><td>${b.title}</td><td>${b.version}</td><td>${b.approved_on}</td><td>${b.reviewed_on}</td></tr>`)}</tbody></table>
    <h2>${t('cl_drills')}</h2>
    ${d.drills.length === 0 ? html`<p class="notice">${t('cl_no_drills')}</p>` :
      html`<table class="grid"><tbody>${d.drills.map((x: any) => html`<tr><td>${x.held_on}</td><td>${x.scenario}</td><td>${x.findings}</td></tr>`)}</tbody></table>`}`;
}
