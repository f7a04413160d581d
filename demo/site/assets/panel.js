// Dala Express demo: the live panel. It sits outside kelisim's UI and shows
// what each click changed: the decision (kelisim.state()), every service's
// state and whether its stand-in ran, the cookies on the page, the Consent
// Mode commands in dataLayer and the receipts the server received. It only
// reads; it keeps working when kelisim is missing or failed to start.
(function () {
  'use strict';
  var TEXTS = {
    kk: {
      title: 'Демо-панель',
      note: 'kelisim интерфейсінен тыс. Барлық үшінші тараптар — жергілікті демо-нұсқалар.',
      decision: 'Шешім',
      decided: 'шешім бар',
      notDecided: 'әзірге шешім жоқ',
      method: 'тәсіл',
      categories: 'санаттар',
      services: 'қызметтер',
      revision: 'редакция',
      updated: 'жаңартылды',
      servicesH: 'Қызметтер',
      service: 'қызмет',
      consent: 'келісім',
      standin: 'демо-нұсқа',
      allowed: 'рұқсат',
      blocked: 'бұғатталған',
      ran: 'іске қосылды',
      notRun: 'іске қосылмады',
      gtmTried: 'GTM қосуға тырысты — бұғатталды',
      cookiesH: 'Беттегі cookie файлдары',
      none: '(жоқ)',
      cmH: 'dataLayer ішіндегі Consent Mode',
      otherEntries: 'тағы {n} жазба',
      receiptsH: 'Сервер алған түбіртектер',
      noReceipts: 'әзірге жоқ',
      allReceipts: 'Барлық түбіртектер →',
      prefs: 'Cookie баптаулары',
      reset: 'Шешімді тастау',
      starting: 'kelisim іске қосылуда…',
      ready: 'kelisim жұмыс істеп тұр',
      missing: 'kelisim.js жүктелмеді: келісім қажет ететін ештеңе іске қосылмайды.',
    },
    ru: {
      title: 'Демо-панель',
      note: 'Вне интерфейса kelisim. Все сторонние сервисы — локальные заглушки.',
      decision: 'Решение',
      decided: 'решение принято',
      notDecided: 'решения пока нет',
      method: 'способ',
      categories: 'категории',
      services: 'сервисы',
      revision: 'редакция',
      updated: 'обновлено',
      servicesH: 'Сервисы',
      service: 'сервис',
      consent: 'согласие',
      standin: 'заглушка',
      allowed: 'разрешён',
      blocked: 'заблокирован',
      ran: 'запущена',
      notRun: 'не запускалась',
      gtmTried: 'GTM пытался добавить — заблокировано',
      cookiesH: 'Cookie на странице',
      none: '(нет)',
      cmH: 'Consent Mode в dataLayer',
      otherEntries: 'ещё записей: {n}',
      receiptsH: 'Квитанции, полученные сервером',
      noReceipts: 'пока нет',
      allReceipts: 'Все квитанции →',
      prefs: 'Настройки cookie',
      reset: 'Сбросить решение',
      starting: 'kelisim запускается…',
      ready: 'kelisim работает',
      missing: 'kelisim.js не загрузился: ничего, что требует согласия, не запускается.',
    },
    en: {
      title: 'Demo panel',
      note: 'Outside kelisim’s UI. Every third party is a local stand-in.',
      decision: 'Decision',
      decided: 'decided',
      notDecided: 'no decision yet',
      method: 'method',
      categories: 'categories',
      services: 'services',
      revision: 'revision',
      updated: 'updated',
      servicesH: 'Services',
      service: 'service',
      consent: 'consent',
      standin: 'stand-in',
      allowed: 'allowed',
      blocked: 'blocked',
      ran: 'ran',
      notRun: 'not run',
      gtmTried: 'GTM tried to insert it — blocked',
      cookiesH: 'Cookies on this page',
      none: '(none)',
      cmH: 'Consent Mode in dataLayer',
      otherEntries: '{n} other entries',
      receiptsH: 'Receipts received by the server',
      noReceipts: 'none yet',
      allReceipts: 'All receipts →',
      prefs: 'Cookie settings',
      reset: 'Reset decision',
      starting: 'kelisim is starting…',
      ready: 'kelisim is running',
      missing: 'kelisim.js did not load: nothing that needs consent runs.',
    },
  };
  var lang = TEXTS[document.documentElement.lang] ? document.documentElement.lang : 'en';
  var t = TEXTS[lang];

  // Which stand-in plays which configured service.
  var STANDIN_OF = {
    'google-analytics': 'ga',
    'google-tag-manager': 'gtm',
    hubspot: 'hubspot',
    facebook: 'facebook',
    youtube: 'youtube',
    recaptcha: 'recaptcha',
  };
  var FALLBACK_SERVICES = {
    'site-language': { category: 'preferences', cookies: ['dala_lang'] },
    'google-analytics': { category: 'analytics', cookies: ['_ga', '_ga_*', '_gid', '_gat*'] },
    'google-tag-manager': { category: 'analytics', cookies: [] },
    hubspot: { category: 'marketing', cookies: ['hubspotutk', '__hstc', '__hssc', '__hssrc'] },
    facebook: { category: 'embedded', cookies: ['_fbp', '_fbc'] },
    youtube: { category: 'embedded', cookies: [] },
    recaptcha: { category: 'embedded', cookies: ['_GRECAPTCHA'] },
  };
  var STORAGE_KEY = 'dala-demo-panel';

  var services = FALLBACK_SERVICES;
  var consentCookie = 'kelisim';
  var kelisim = null;
  var status = { kind: 'starting', text: t.starting };
  var errors = [];
  var receipts = null;
  var signatures = {};

  // ---- DOM helpers (text only, never HTML) -------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function fill(section, signature, build) {
    if (signatures[section.id] === signature) return;
    signatures[section.id] = signature;
    var body = section.querySelector('.dp-content');
    clear(body);
    build(body);
  }

  // ---- the panel's frame --------------------------------------------------
  var root = el('aside', 'dp');
  root.id = 'demo-panel';
  root.setAttribute('data-demo-panel', '');
  root.setAttribute('aria-label', t.title);
  var toggle = el('button', 'dp-toggle');
  toggle.type = 'button';
  toggle.setAttribute('aria-controls', 'demo-panel-body');
  toggle.appendChild(el('span', 'dp-dot'));
  toggle.appendChild(el('span', 'dp-toggle-label', t.title));
  toggle.appendChild(el('span', 'dp-chevron'));
  var body = el('div', 'dp-body');
  body.id = 'demo-panel-body';
  root.appendChild(toggle);
  root.appendChild(body);

  body.appendChild(el('p', 'dp-note', t.note));
  var statusLine = el('p', 'dp-status');
  statusLine.setAttribute('data-demo-status', '');
  body.appendChild(statusLine);

  function section(id, title) {
    var s = el('section', 'dp-section');
    s.id = id;
    s.appendChild(el('h3', 'dp-h', title));
    s.appendChild(el('div', 'dp-content'));
    body.appendChild(s);
    return s;
  }
  var decisionSection = section('dp-decision', t.decision);
  var servicesSection = section('dp-services', t.servicesH);
  var cookiesSection = section('dp-cookies', t.cookiesH);
  var consentModeSection = section('dp-consent-mode', t.cmH);
  var receiptsSection = section('dp-receipts', t.receiptsH);

  var actions = el('div', 'dp-actions');
  var prefsButton = el('button', 'dp-button', t.prefs);
  prefsButton.type = 'button';
  prefsButton.addEventListener('click', function () {
    if (kelisim) kelisim.showPreferences();
  });
  var resetButton = el('button', 'dp-button dp-button-quiet', t.reset);
  resetButton.type = 'button';
  resetButton.addEventListener('click', function () {
    if (kelisim) kelisim.reset();
  });
  var allLink = el('a', 'dp-link', t.allReceipts);
  allLink.href = '/receipts';
  actions.appendChild(prefsButton);
  actions.appendChild(resetButton);
  actions.appendChild(allLink);
  body.appendChild(actions);

  function setOpen(open) {
    root.classList.toggle('dp-open', open);
    document.documentElement.classList.toggle('demo-panel-open', open);
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    body.hidden = !open;
    try {
      sessionStorage.setItem(STORAGE_KEY, open ? 'open' : 'closed');
    } catch (e) {
      /* storage off: fine */
    }
    if (open) {
      refresh();
      loadReceipts();
    }
  }
  toggle.addEventListener('click', function () {
    setOpen(!root.classList.contains('dp-open'));
  });

  // ---- readers -------------------------------------------------------------
  function cookies() {
    if (!document.cookie) return [];
    return document.cookie.split('; ').map(function (part) {
      var eq = part.indexOf('=');
      return eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) };
    });
  }
  function globMatch(pattern, name) {
    var parts = pattern.split('*');
    if (parts.length === 1) return pattern === name;
    if (name.indexOf(parts[0]) !== 0) return false;
    var at = parts[0].length;
    for (var i = 1; i < parts.length; i++) {
      var last = i === parts.length - 1;
      if (last) return parts[i] === '' || (name.length - parts[i].length >= at && name.slice(name.length - parts[i].length) === parts[i]);
      var found = name.indexOf(parts[i], at);
      if (found < 0) return false;
      at = found + parts[i].length;
    }
    return true;
  }
  // For display only: which configured service a cookie name belongs to.
  function ownerOf(name) {
    if (name === consentCookie) return 'kelisim';
    for (var service in services) {
      var list = services[service].cookies || [];
      for (var i = 0; i < list.length; i++) if (globMatch(list[i], name)) return service;
    }
    return '';
  }
  function standinRuns(name) {
    var list = window.__standins || [];
    var out = [];
    for (var i = 0; i < list.length; i++) if (list[i] && list[i].name === name) out.push(list[i]);
    return out;
  }
  function isArgumentsLike(entry) {
    return (
      entry &&
      typeof entry === 'object' &&
      typeof entry.length === 'number' &&
      typeof entry[0] === 'string' &&
      (Array.isArray(entry) || Object.prototype.toString.call(entry) === '[object Arguments]')
    );
  }
  function gtmTriedHubspot() {
    var dl = window.dataLayer || [];
    for (var i = 0; i < dl.length; i++) if (dl[i] && dl[i].event === 'gtm.hubspot_tag_inserted') return true;
    return false;
  }
  function allowed(name) {
    if (!kelisim) return null;
    try {
      return kelisim.isAllowed(name);
    } catch (e) {
      return null;
    }
  }

  // ---- sections ------------------------------------------------------------
  function renderStatus() {
    statusLine.textContent = status.text;
    statusLine.className = 'dp-status dp-status-' + status.kind;
    root.setAttribute('data-kelisim-status', status.kind);
    if (errors.length) {
      errors.forEach(function (e) {
        var line = el('span', 'dp-error', (e.path ? e.path + ': ' : '') + e.message);
        statusLine.appendChild(line);
      });
    }
  }

  function renderDecision() {
    var state = null;
    if (kelisim) {
      try {
        state = kelisim.state();
      } catch (e) {
        state = null;
      }
    }
    fill(decisionSection, JSON.stringify(state), function (box) {
      if (!state) {
        box.appendChild(el('p', 'dp-muted', '—'));
        return;
      }
      var head = el('p', 'dp-decided');
      head.appendChild(el('span', 'dp-pill ' + (state.decided ? 'dp-pill-ok' : 'dp-pill-wait'), state.decided ? t.decided : t.notDecided));
      if (state.method) head.appendChild(el('code', 'dp-method', state.method));
      box.appendChild(head);
      var dl = el('dl', 'dp-dl');
      function row(label, value) {
        dl.appendChild(el('dt', '', label));
        var dd = el('dd');
        if (Array.isArray(value)) {
          if (!value.length) dd.textContent = '—';
          value.forEach(function (v) {
            dd.appendChild(el('code', 'dp-chip', v));
          });
        } else dd.textContent = value === undefined || value === null || value === '' ? '—' : String(value);
        dl.appendChild(dd);
      }
      row(t.categories, state.categories || []);
      row(t.services, state.services || []);
      row(t.revision, state.revision);
      row('id', state.id);
      row(t.updated, state.updated ? new Date(state.updated).toLocaleString() : '');
      box.appendChild(dl);
    });
  }

  function renderServices() {
    var rows = Object.keys(services).map(function (name) {
      var standin = STANDIN_OF[name];
      var runs = standin ? standinRuns(standin) : [];
      var extra = '';
      if (name === 'hubspot' && !runs.length && gtmTriedHubspot() && allowed(name) === false) extra = t.gtmTried;
      var ga =
        name === 'google-analytics' && runs.length && runs[0].analytics_storage ? 'analytics_storage: ' + runs[0].analytics_storage : '';
      return {
        name: name,
        category: services[name].category || '',
        allowed: allowed(name),
        standin: standin || '',
        ran: runs.length ? Math.round(runs[0].time) : null,
        frame: runs.some(function (r) {
          return r.frame;
        }),
        extra: extra || ga,
      };
    });
    fill(servicesSection, JSON.stringify(rows), function (box) {
      var table = el('table', 'dp-table');
      var head = el('tr');
      [t.service, t.consent, t.standin].forEach(function (h) {
        head.appendChild(el('th', '', h));
      });
      table.appendChild(el('thead')).appendChild(head);
      var tbody = el('tbody');
      rows.forEach(function (r) {
        var tr = el('tr');
        tr.setAttribute('data-service', r.name);
        var nameCell = el('td');
        nameCell.appendChild(el('code', '', r.name));
        nameCell.appendChild(el('span', 'dp-sub', r.category));
        tr.appendChild(nameCell);
        var state = r.allowed === null ? '—' : r.allowed ? t.allowed : t.blocked;
        var stateCell = el('td');
        stateCell.appendChild(el('span', 'dp-pill ' + (r.allowed ? 'dp-pill-ok' : 'dp-pill-no'), state));
        tr.appendChild(stateCell);
        var ranCell = el('td');
        if (!r.standin) ranCell.textContent = '—';
        else {
          ranCell.appendChild(
            el(
              'span',
              r.ran === null ? 'dp-muted' : 'dp-ran',
              r.ran === null ? t.notRun : t.ran + ' · ' + (r.ran / 1000).toFixed(2) + ' s',
            ),
          );
          ranCell.setAttribute('title', r.standin + '.' + location.hostname.split('.').pop());
        }
        if (r.extra) ranCell.appendChild(el('span', 'dp-sub', r.extra));
        tr.appendChild(ranCell);
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      box.appendChild(table);
    });
  }

  function renderCookies() {
    var list = cookies();
    fill(cookiesSection, JSON.stringify(list), function (box) {
      if (!list.length) {
        box.appendChild(el('p', 'dp-muted', t.none));
        return;
      }
      var ul = el('ul', 'dp-cookies');
      list.forEach(function (c) {
        var li = el('li');
        li.appendChild(el('code', 'dp-cookie-name', c.name));
        li.appendChild(el('span', 'dp-cookie-value', c.value.length > 34 ? c.value.slice(0, 32) + '…' : c.value));
        var owner = ownerOf(c.name);
        if (owner) li.appendChild(el('span', 'dp-sub', owner));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    });
  }

  function renderConsentMode() {
    var dl = window.dataLayer || [];
    var commands = [];
    var others = 0;
    for (var i = 0; i < dl.length; i++) {
      var entry = dl[i];
      if (isArgumentsLike(entry) && entry[0] === 'consent') {
        commands.push({ kind: 'consent', action: String(entry[1]), params: entry[2] || {} });
      } else if (entry && entry.event === 'kelisim_consent') {
        commands.push({ kind: 'event', action: 'kelisim_consent' });
      } else others++;
    }
    fill(consentModeSection, JSON.stringify(commands) + others, function (box) {
      if (!commands.length) box.appendChild(el('p', 'dp-muted', t.none));
      var ol = el('ol', 'dp-commands');
      commands.forEach(function (c) {
        var li = el('li');
        if (c.kind === 'event') {
          li.appendChild(el('code', 'dp-cmd', "dataLayer.push({event: 'kelisim_consent'})"));
        } else {
          li.appendChild(el('code', 'dp-cmd', "gtag('consent', '" + c.action + "')"));
          var chips = el('div', 'dp-chips');
          Object.keys(c.params).forEach(function (k) {
            var v = c.params[k];
            chips.appendChild(el('span', 'dp-chip ' + (v === 'granted' ? 'dp-chip-ok' : v === 'denied' ? 'dp-chip-no' : ''), k + ': ' + v));
          });
          li.appendChild(chips);
        }
        ol.appendChild(li);
      });
      box.appendChild(ol);
      if (others) box.appendChild(el('p', 'dp-muted', t.otherEntries.replace('{n}', others)));
    });
  }

  function renderReceipts() {
    fill(receiptsSection, JSON.stringify(receipts), function (box) {
      if (receipts === null) {
        box.appendChild(el('p', 'dp-muted', '…'));
        return;
      }
      if (!receipts.length) {
        box.appendChild(el('p', 'dp-muted', t.noReceipts));
        return;
      }
      var ul = el('ul', 'dp-receipts');
      receipts
        .slice(-5)
        .reverse()
        .forEach(function (r) {
          var li = el('li');
          var head = el('div', 'dp-receipt-head');
          head.appendChild(el('code', 'dp-method', r.method));
          head.appendChild(
            el(
              'span',
              'dp-sub',
              '#' + r.sequence + ' · ' + String(r.id).slice(0, 8) + ' · ' + (r.received ? new Date(r.received).toLocaleTimeString() : ''),
            ),
          );
          li.appendChild(head);
          var acc = el('div', 'dp-chips');
          (r.accepted || []).forEach(function (n) {
            acc.appendChild(el('span', 'dp-chip dp-chip-ok', n));
          });
          (r.rejected || []).forEach(function (n) {
            acc.appendChild(el('span', 'dp-chip dp-chip-no', n));
          });
          li.appendChild(acc);
          ul.appendChild(li);
        });
      box.appendChild(ul);
    });
  }

  function refresh() {
    renderStatus();
    if (!root.classList.contains('dp-open')) return;
    renderDecision();
    renderServices();
    renderCookies();
    renderConsentMode();
    renderReceipts();
  }

  var receiptsInFlight = false;
  function loadReceipts() {
    if (receiptsInFlight || !window.fetch) return;
    receiptsInFlight = true;
    fetch('/receipts.json', { cache: 'no-store' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (list) {
        if (Array.isArray(list)) receipts = list;
      })
      .catch(function () {})
      .then(function () {
        receiptsInFlight = false;
        refresh();
      });
  }

  // ---- wiring ---------------------------------------------------------------
  function start() {
    document.body.appendChild(root);
    var stored = null;
    try {
      stored = sessionStorage.getItem(STORAGE_KEY);
    } catch (e) {
      stored = null;
    }
    setOpen(stored ? stored === 'open' : window.matchMedia('(min-width: 1200px)').matches);

    if (window.fetch) {
      fetch('/consent.json', { cache: 'no-store' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (config) {
          if (config && config.services) services = config.services;
          if (config && config.cookie && config.cookie.name) consentCookie = config.cookie.name;
          refresh();
        })
        .catch(function () {});
    }

    if (!window.kelisimReady || typeof window.kelisimReady.then !== 'function') {
      status = { kind: 'missing', text: t.missing };
    } else {
      window.kelisimReady.then(
        function (instance) {
          kelisim = instance;
          status = { kind: 'ready', text: t.ready + ' · ' + (instance.language || lang) };
          refresh();
        },
        function (error) {
          status = { kind: 'failed', text: 'kelisim failed to start: ' + (error && error.message ? error.message : String(error)) };
          refresh();
        },
      );
    }
    window.addEventListener('kelisim:error', function (event) {
      var detail = event.detail || {};
      errors = Array.isArray(detail.errors) && detail.errors.length ? detail.errors : [{ message: detail.message || 'error' }];
      refresh();
    });
    ['kelisim:ready', 'kelisim:consent', 'kelisim:change', 'demo:standin'].forEach(function (name) {
      window.addEventListener(name, function () {
        refresh();
      });
    });
    ['kelisim:consent', 'kelisim:change'].forEach(function (name) {
      window.addEventListener(name, function () {
        if (!root.classList.contains('dp-open')) return;
        setTimeout(loadReceipts, 300);
        setTimeout(loadReceipts, 1500);
      });
    });
    var ticks = 0;
    setInterval(function () {
      refresh();
      ticks++;
      if (ticks % 3 === 0 && root.classList.contains('dp-open') && !document.hidden) loadReceipts();
    }, 1000);
    refresh();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
