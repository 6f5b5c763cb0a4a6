import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, ApiError, setCsrf } from './api';
import { lang, setLang, t, Key } from './i18n';
import { AuditTable, ErrorBox, Ledger } from './ledger';
import { Checklist, SharedView } from './checklist';
import { Vuln } from './vuln';
import { Logs } from './logs';
import './style.css';

type Me = {
  id: number;
  username: string;
  display_name: string;
  role: string;
  totp_enabled: boolean;
  totp_setup_required: boolean;
  csrf_token: string;
  org?: { name: string; is_demo: boolean };
};

const NAV: { route: string; key: Key; built: boolean; roles?: string[] }[] = [
  { route: 'home', key: 'nav_home', built: true },
  { route: 'ledger', key: 'nav_ledger', built: true, roles: ['admin', 'staff', 'vendor', 'auditor'] },
  { route: 'checklist', key: 'nav_checklist', built: true },
  { route: 'vuln', key: 'nav_vuln', built: true, roles: ['admin', 'staff', 'vendor', 'auditor'] },
  { route: 'accounts', key: 'nav_accounts', built: false },
  { route: 'logs', key: 'nav_logs', built: true, roles: ['admin', 'staff', 'auditor'] },
  { route: 'network', key: 'nav_network', built: false },
  { route: 'resilience', key: 'nav_resilience', built: false },
  { route: 'incidents', key: 'nav_incidents', built: false },
  { route: 'audit', key: 'nav_audit', built: true, roles: ['admin', 'auditor'] },
  { route: 'settings', key: 'nav_settings', built: true },
];

function useRoute(): string[] {
  const parse = () => (location.hash.replace(/^#\/?/, '') || 'home').split('/');
  const [route, setRoute] = useState(parse());
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}


function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const body: any = { username, password };
      if (needTotp) body.totp = totp;
      const me = await api<Me>('POST', '/api/v1/auth/login', body);
      onLogin(me);
    } catch (err) {
      const a = err as ApiError;
      if (a.key === 'auth.totp_required') setNeedTotp(true);
      setError(a.message);
    }
  };
  return html`
    <main class="login" id="main">
      <form onSubmit=${submit} aria-labelledby="login-title">
        <h1 id="login-title">${t('app_title')}</h1>
        <p class="tagline">${t('tagline')}</p>
        <label>${t('username')}
          <input name="username" autocomplete="username" autofocus required value=${username}
                 onInput=${(e: any) => setUsername(e.target.value)} /></label>
        <label>${t('password')}
          <input name="password" type="password" autocomplete="current-password" required value=${password}
                 onInput=${(e: any) => setPassword(e.target.value)} /></label>
        ${needTotp &&
        html`<label>${t('totp_code')}
          <input name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required
                 value=${totp} onInput=${(e: any) => setTotp(e.target.value)} /></label>`}
        <${ErrorBox} error=${error} />
        <button type="submit">${t('login')}</button>
        <button type="button" class="link" onClick=${() => { setLang(lang() === 'ja' ? 'en' : 'ja'); location.reload(); }}>
          ${t('lang_switch')}</button>
      </form>
    </main>`;
}

function NotBuilt({ title }: { title: string }) {
  return html`<section><h1>${title}</h1><p class="notice">${t('not_built')}</p></section>`;
}

function Home({ me }: { me: Me }) {
  const [stats, setStats] = useState<any>(null);
  useEffect(() => {
    if (!['admin', 'staff', 'vendor', 'auditor'].includes(me.role)) return;
    Promise.all([
      api('GET', '/api/v1/assets?limit=1'),
      api('GET', '/api/v1/vendors'),
      api('GET', '/api/v1/systems'),
    ]).then(([assets, vendors, systems]) =>
      setStats({ assets: assets.total, vendors: vendors.items.length, systems: systems.items.length }));
  }, []);
  return html`<section>
    <h1>${t('home_title')}</h1>
    <p>${me.org?.name} — ${me.display_name || me.username}（${t(('role_' + me.role) as Key)}）</p>
    ${stats && html`<div class="cards">
      <a class="card" href="#/ledger"><span class="num">${stats.assets}</span>${t('assets_total')}</a>
      <div class="card"><span class="num">${stats.systems}</span>${t('systems_total')}</div>
      <div class="card"><span class="num">${stats.vendors}</span>${t('vendors_total')}</div>
    </div>`}
  </section>`;
}

function Audit() {
  const [items, setItems] = useState<any[]>([]);
  const [verify, setVerify] = useState<any>(null);
  useEffect(() => { api('GET', '/api/v1/audit?limit=200').then((d) => setItems(d.items)); }, []);
  return html`<section>
    <h1>${t('nav_audit')}</h1>
    <p class="actions">
      <a class="button" href="/api/v1/audit/export" download>${t('export_csv')}</a>
      <button onClick=${() => api('GET', '/api/v1/audit/verify').then(setVerify)}>${t('verify_chain')}</button>
      ${verify && html`<span role="status" class=${verify.ok ? 'ok' : 'error'}>
        ${verify.ok ? `${t('verified_ok')}（${verify.records}）` : t('verified_ng')}</span>`}
    </p>
    <${AuditTable} items=${items} />
  </section>`;
}

function MyAccount({ me, onChange }: { me: Me; onChange: () => void }) {
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');
  const [enrol, setEnrol] = useState<any>(null);
  const [code, setCode] = useState('');
  const change = async (e: Event) => {
    e.preventDefault();
    setError(''); setMsg('');
    try {
      await api('POST', '/api/v1/auth/password', { current_password: cur, new_password: next });
      setMsg(t('saved')); setCur(''); setNext('');
    } catch (err) { setError((err as ApiError).message); }
  };
  const confirm = async (e: Event) => {
    e.preventDefault();
    setError('');
    try { await api('POST', '/api/v1/auth/totp/confirm', { code }); setEnrol(null); onChange(); }
    catch (err) { setError((err as ApiError).message); }
  };
  return html`<section>
    <h2>${t('my_account')}</h2>
    ${me.totp_setup_required && html`<p class="notice" role="alert">${t('totp_required_notice')}</p>`}
    <${ErrorBox} error=${error} />
    ${msg && html`<p class="ok" role="status">${msg}</p>`}
    <form onSubmit=${change} class="stack">
      <h3>${t('change_password')}</h3>
      <label>${t('current_password')}<input type="password" autocomplete="current-password" required value=${cur} onInput=${(e: any) => setCur(e.target.value)} /></label>
      <label>${t('new_password')}<input type="password" autocomplete="new-password" required value=${next} onInput=${(e: any) => setNext(e.target.value)} /></label>
      <button type="submit">${t('save')}</button>
    </form>
    <h3>${t('totp')}</h3>
    ${me.totp_enabled ? html`<p class="ok">${t('totp_on')}</p>` : enrol ? html`
      <form onSubmit=${confirm} class="stack">
        <p>${t('totp_secret_hint')}</p>
        <p><code class="secret">${enrol.secret}</code></p>
        <p><small>${enrol.otpauth_uri}</small></p>
        <label>${t('totp_code')}<input inputmode="numeric" pattern="[0-9]{6}" required value=${code} onInput=${(e: any) => setCode(e.target.value)} /></label>
        <button type="submit">${t('confirm')}</button>
      </form>` : html`<button onClick=${() => api('POST', '/api/v1/auth/totp/enroll').then(setEnrol, (e: ApiError) => setError(e.message))}>${t('totp_enrol')}</button>`}
  </section>`;
}

function Users() {
  const [users, setUsers] = useState<any[]>([]);
  const [vendors, setVendors] = useState<any[]>([]);
  const [error, setError] = useState('');
  const [msg, setMsg] = useState('');
  const [form, setForm] = useState<any>({ username: '', display_name: '', role: 'staff', vendor_id: '', password: '', totp_required: false });
  const load = () => api('GET', '/api/v1/users').then((d) => setUsers(d.items));
  useEffect(() => { load(); api('GET', '/api/v1/vendors').then((d) => setVendors(d.items)); }, []);
  const act = async (id: number, patch: any) => {
    setError(''); setMsg('');
    try { await api('PATCH', '/api/v1/users/' + id, patch); setMsg(t('saved')); load(); }
    catch (e) { setError((e as ApiError).message); }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setError(''); setMsg('');
    const body: any = { username: form.username, display_name: form.display_name, role: form.role,
                        password: form.password, totp_required: form.totp_required };
    if (form.role === 'vendor' && form.vendor_id) body.vendor_id = Number(form.vendor_id);
    try {
      await api('POST', '/api/v1/users', body);
      setMsg(t('created'));
      setForm({ ...form, username: '', display_name: '', password: '' });
      load();
    } catch (err) { setError((err as ApiError).message); }
  };
  const set = (k: string) => (e: any) => setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const roles = ['admin', 'staff', 'vendor', 'inspector', 'auditor'];
  return html`<section><h2>${t('users')}</h2>
    <${ErrorBox} error=${error} />
    ${msg && html`<p class="ok" role="status">${msg}</p>`}
    <table class="grid"><thead><tr><th>${t('username')}</th><th>${t('display_name')}</th><th>${t('role')}</th>
      <th>${t('totp')}</th><th>${t('state')}</th><th>${t('operations')}</th></tr></thead>
    <tbody>${users.map((u) => html`<tr><td>${u.username}</td><td>${u.display_name}</td>
      <td>${t(('role_' + u.role) as Key)}</td><td>${u.totp_enabled ? 'on' : u.totp_required ? 'required' : 'off'}</td>
      <td>${u.disabled ? t('disabled') : u.locked_until ? t('locked') : t('enabled')}</td>
      <td class="row-actions">
        <button class="small" onClick=${() => act(u.id, { disabled: !u.disabled })}>${u.disabled ? t('enable') : t('disable')}</button>
        ${!u.totp_required && html`<button class="small" onClick=${() => act(u.id, { totp_required: true })}>${t('require_totp')}</button>`}
        ${u.totp_enabled && html`<button class="small" onClick=${() => act(u.id, { reset_totp: true })}>${t('reset_totp')}</button>`}
        ${u.locked_until && html`<button class="small" onClick=${() => act(u.id, { unlock: true })}>${t('unlock')}</button>`}
      </td></tr>`)}</tbody></table>
    <form class="stack" onSubmit=${create} aria-labelledby="add-user">
      <h3 id="add-user">${t('add_user')}</h3>
      <label>${t('username')}<input name="new-username" required value=${form.username} onInput=${set('username')} /></label>
      <label>${t('display_name')}<input name="new-display" value=${form.display_name} onInput=${set('display_name')} /></label>
      <label>${t('role')}<select name="new-role" value=${form.role} onChange=${set('role')}>
        ${roles.map((r) => html`<option value=${r}>${t(('role_' + r) as Key)}</option>`)}</select></label>
      ${form.role === 'vendor' && html`<label>${t('vendor')}<select name="new-vendor" required value=${form.vendor_id} onChange=${set('vendor_id')}>
        <option value=""></option>${vendors.map((v) => html`<option value=${v.id}>${v.name}</option>`)}</select></label>`}
      <label>${t('password')}<input name="new-password" type="password" autocomplete="new-password" required value=${form.password} onInput=${set('password')} /></label>
      <label class="check"><input type="checkbox" checked=${form.totp_required} onChange=${set('totp_required')} /> ${t('require_totp')}</label>
      <button type="submit">${t('add_user')}</button>
    </form>
  </section>`;
}

function Tokens() {
  const [items, setItems] = useState<any[]>([]);
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [fresh, setFresh] = useState('');
  const [error, setError] = useState('');
  const load = () => api('GET', '/api/v1/auth/tokens').then((d) => setItems(d.items));
  useEffect(() => { load(); }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const r = await api('POST', '/api/v1/auth/tokens', { name, days: Number(days) });
      setFresh(r.token); setName(''); load();
    } catch (err) { setError((err as ApiError).message); }
  };
  return html`<section><h3>${t('api_tokens')}</h3>
    <${ErrorBox} error=${error} />
    ${fresh && html`<p class="notice" role="status">${t('token_once')}<br /><code class="secret">${fresh}</code></p>`}
    ${items.length > 0 && html`<table class="grid"><thead><tr><th>${t('token_name')}</th><th>${t('expires')}</th><th>${t('last_used')}</th><th>${t('operations')}</th></tr></thead>
      <tbody>${items.map((k) => html`<tr><td>${k.name} <small>${k.prefix}…</small></td><td>${k.expires_at || '—'}</td><td>${k.last_used_at || '—'}</td>
        <td>${k.revoked ? t('revoked') : html`<button class="small" onClick=${() => api('DELETE', '/api/v1/auth/tokens/' + k.id).then(load)}>${t('revoke')}</button>`}</td></tr>`)}</tbody></table>`}
    <form class="stack" onSubmit=${create}>
      <label>${t('token_name')}<input name="token-name" required value=${name} onInput=${(e: any) => setName(e.target.value)} /></label>
      <label>${t('token_days')}<input name="token-days" type="number" min="1" max="366" value=${days} onInput=${(e: any) => setDays(e.target.value)} /></label>
      <button type="submit">${t('create_token')}</button>
    </form></section>`;
}

function Settings({ me, onChange }: { me: Me; onChange: () => void }) {
  return html`<section><h1>${t('nav_settings')}</h1>
    <${MyAccount} me=${me} onChange=${onChange} />
    ${!me.totp_setup_required && html`<${Tokens} />`}
    ${me.role === 'admin' && !me.totp_setup_required && html`<${Users} />`}
  </section>`;
}

function Shell({ me, onLogout, reload }: { me: Me; onLogout: () => void; reload: () => void }) {
  const route = useRoute();
  const page = me.totp_setup_required ? 'settings' : route[0];
  const item = NAV.find((n) => n.route === page) || NAV[0];
  const allowed = !item.roles || item.roles.includes(me.role);
  let content;
  if (!allowed) content = html`<p class="notice">${t('forbidden_view')}</p>`;
  else if (!item.built) content = html`<${NotBuilt} title=${t(item.key)} />`;
  else if (page === 'ledger') content = html`<${Ledger} route=${route} />`;
  else if (page === 'checklist') content = html`<${Checklist} route=${route} me=${me} />`;
  else if (page === 'vuln') content = html`<${Vuln} route=${route} me=${me} />`;
  else if (page === 'logs') content = html`<${Logs} route=${route} me=${me} />`;
  else if (page === 'audit') content = html`<${Audit} />`;
  else if (page === 'settings') content = html`<${Settings} me=${me} onChange=${reload} />`;
  else content = html`<${Home} me=${me} />`;
  return html`
    <a class="skip" href="#main" onClick=${(e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>${t('skip_to_content')}</a>
    ${me.org?.is_demo && html`<div class="demo-banner" role="note">DEMO — ${t('demo_banner')}</div>`}
    <header class="top">
      <span class="brand">${t('app_title')}</span>
      <span class="org">${me.org?.name}</span>
      <span class="who">${me.display_name || me.username}</span>
      <button class="link" onClick=${() => { setLang(lang() === 'ja' ? 'en' : 'ja'); reload(); }}>${t('lang_switch')}</button>
      <button onClick=${onLogout}>${t('logout')}</button>
    </header>
    <div class="layout">
      <nav aria-label=${t('main_nav')} class="side"><ul>
        ${NAV.filter((n) => !n.roles || n.roles.includes(me.role)).map((n) => html`<li>
          <a href=${'#/' + n.route} aria-current=${n.route === page ? 'page' : undefined}
             class=${n.built ? '' : 'pending'}>${t(n.key)}</a></li>`)}
      </ul></nav>
      <main id="main" tabindex="-1">${content}</main>
    </div>`;
}

function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [, force] = useState(0);
  const loadMe = () =>
    api<Me>('GET', '/api/v1/auth/me').then((m) => { setCsrf(m.csrf_token); setMe(m); force((x) => x + 1); }, () => setMe(null));
  const shared = location.hash.match(/^#\/share\/([0-9a-f]{64})$/);
  useEffect(() => { setLang(lang()); if (!shared) loadMe(); }, []);
  if (shared) return html`<${SharedView} token=${shared[1]} />`;
  if (me === undefined) return html`<p>${t('loading')}</p>`;
  if (me === null) return html`<${Login} onLogin=${(m: Me) => { setCsrf(m.csrf_token); setMe(m); location.hash = '#/home'; }} />`;
  return html`<${Shell} me=${me} reload=${loadMe}
    onLogout=${async () => { await api('POST', '/api/v1/auth/logout'); setCsrf(''); setMe(null); }} />`;
}

render(html`<${App} />`, document.getElementById('app')!);
