/**
 * The dashboard's script (static): the token comes from the page's own URL and is added to
 * links and requests here, so no page ever contains it. Live updates arrive as server-sent
 * events; the changed view is fetched and swapped in without a reload. Actions ask for
 * confirmation, then POST with the token in a header (never a state change on GET).
 */
export const DASHBOARD_SCRIPT = `(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token') || '';
  var view = document.getElementById('view');
  var live = document.getElementById('live');
  var notice = document.getElementById('notice');
  function withToken(href) {
    var u = new URL(href, location.href);
    u.searchParams.set('token', token);
    return u.pathname + u.search + u.hash;
  }
  function say(text, bad) {
    if (!notice) return;
    notice.hidden = !text;
    notice.textContent = text;
    notice.className = 'notice' + (bad ? ' problems' : '');
  }
  function bind(root) {
    var links = root.querySelectorAll('a[data-nav]');
    for (var i = 0; i < links.length; i++) links[i].href = withToken(links[i].getAttribute('href'));
    var buttons = root.querySelectorAll('button[data-action]');
    for (var j = 0; j < buttons.length; j++) buttons[j].addEventListener('click', act);
    if (window.factoryEnhance) window.factoryEnhance(root);
  }
  function refresh() {
    return fetch(withToken(view.getAttribute('data-fragment')), { headers: { 'X-Factory-Token': token } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (text) {
        view.innerHTML = text;
        bind(view);
        view.setAttribute('data-version', String(Number(view.getAttribute('data-version') || '0') + 1));
        if (live) live.textContent = 'live · updated ' + new Date().toLocaleTimeString();
      })
      .catch(function (e) { if (live) live.textContent = 'live · could not refresh: ' + e.message; });
  }
  function act(e) {
    var b = e.currentTarget;
    var action = b.getAttribute('data-action');
    var slug = b.getAttribute('data-slug');
    var body = {};
    if (action === 'approve') {
      var select = document.getElementById('strategy-' + slug);
      body.strategy = select ? select.value : 'gradual';
    }
    if (!window.confirm(b.getAttribute('data-confirm'))) return;
    b.disabled = true;
    say(action + ' ' + slug + '…');
    fetch(withToken('/tasks/' + encodeURIComponent(slug) + '/' + action), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Factory-Token': token },
      body: JSON.stringify(body)
    })
      .then(function (r) { return r.json(); })
      .then(function (r) { say(r.message, !r.ok); return refresh(); })
      .catch(function (err) { say(String(err), true); })
      .then(function () { b.disabled = false; });
  }
  bind(document);
  if (window.EventSource) {
    var slugOf = view.getAttribute('data-slug');
    var events = new EventSource(withToken('/events'));
    events.addEventListener('open', function () { if (live) live.textContent = 'live'; });
    events.addEventListener('change', function (e) {
      var slugs = JSON.parse(e.data).slugs || [];
      if (!slugOf || slugs.indexOf(slugOf) >= 0) refresh();
    });
    events.addEventListener('error', function () { if (live) live.textContent = 'live · reconnecting…'; });
  }
})();`;
