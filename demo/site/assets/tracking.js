// Dala Express demo: the parcel tracking form. It needs a reCAPTCHA token
// (from the stand-in widget, which loads only with consent) and asks the
// site's /api/track, which checks the token server-side.
(function () {
  'use strict';
  var TEXTS = {
    kk: {
      badNumber: 'Жөнелтілім нөмірін енгізіңіз: 6–20 латын әрпі немесе цифр.',
      needCaptcha:
        'Алдымен «Мен робот емеспін» белгісін қойыңыз. reCAPTCHA жүктелмесе, «Ендірілген мазмұн → reCAPTCHA» үшін рұқсат беріңіз.',
      loading: 'Іздеп жатырмыз…',
      captchaRejected: 'reCAPTCHA тексеруі өтпеді немесе ескірді. Қайталап көріңіз.',
      failed: 'Сервер жауап бермеді. Кейінірек қайталап көріңіз.',
      route: 'Бағыт',
      delivered: 'Жеткізілді',
      onTheWay: 'Жолда',
      statuses: {
        accepted: 'Бөлімшеде қабылданды',
        departed: 'Сұрыптау орталығынан жөнелтілді',
        in_transit: 'Жолда',
        customs: 'Кедендік ресімдеу',
        arrived: 'Беру пунктіне жетті',
        out_for_delivery: 'Курьерге берілді',
        delivered: 'Жеткізілді',
      },
      cities: {
        almaty: 'Алматы',
        astana: 'Астана',
        shymkent: 'Шымкент',
        karaganda: 'Қарағанды',
        aktobe: 'Ақтөбе',
        pavlodar: 'Павлодар',
        oskemen: 'Өскемен',
        atyrau: 'Атырау',
        transit: 'Сұрыптау хабы',
      },
    },
    ru: {
      badNumber: 'Введите номер отправления: 6–20 латинских букв или цифр.',
      needCaptcha: 'Сначала отметьте «Я не робот». Если reCAPTCHA не загружена, разрешите «Встроенный контент → reCAPTCHA».',
      loading: 'Ищем…',
      captchaRejected: 'Проверка reCAPTCHA не пройдена или устарела. Попробуйте ещё раз.',
      failed: 'Сервер не ответил. Попробуйте позже.',
      route: 'Маршрут',
      delivered: 'Доставлено',
      onTheWay: 'В пути',
      statuses: {
        accepted: 'Принято в отделении',
        departed: 'Покинуло сортировочный центр',
        in_transit: 'В пути',
        customs: 'Таможенное оформление',
        arrived: 'Прибыло в пункт выдачи',
        out_for_delivery: 'Передано курьеру',
        delivered: 'Доставлено',
      },
      cities: {
        almaty: 'Алматы',
        astana: 'Астана',
        shymkent: 'Шымкент',
        karaganda: 'Караганда',
        aktobe: 'Актобе',
        pavlodar: 'Павлодар',
        oskemen: 'Усть-Каменогорск',
        atyrau: 'Атырау',
        transit: 'Сортировочный хаб',
      },
    },
    en: {
      badNumber: 'Enter a tracking number: 6–20 Latin letters or digits.',
      needCaptcha: 'Tick “I’m not a robot” first. If reCAPTCHA has not loaded, allow “Embedded content → reCAPTCHA”.',
      loading: 'Looking it up…',
      captchaRejected: 'The reCAPTCHA check failed or expired. Please try again.',
      failed: 'The server did not answer. Please try again later.',
      route: 'Route',
      delivered: 'Delivered',
      onTheWay: 'On the way',
      statuses: {
        accepted: 'Accepted at the branch',
        departed: 'Left the sorting centre',
        in_transit: 'In transit',
        customs: 'Customs clearance',
        arrived: 'Arrived at the pickup point',
        out_for_delivery: 'Out for delivery',
        delivered: 'Delivered',
      },
      cities: {
        almaty: 'Almaty',
        astana: 'Astana',
        shymkent: 'Shymkent',
        karaganda: 'Karaganda',
        aktobe: 'Aktobe',
        pavlodar: 'Pavlodar',
        oskemen: 'Oskemen',
        atyrau: 'Atyrau',
        transit: 'Sorting hub',
      },
    },
  };
  var lang = TEXTS[document.documentElement.lang] ? document.documentElement.lang : 'en';
  var t = TEXTS[lang];

  var form = document.getElementById('track-form');
  if (!form) return;
  var input = document.getElementById('track-number');
  var message = document.getElementById('track-message');
  var result = document.getElementById('track-result');

  var initial = new URLSearchParams(location.search).get('number');
  if (initial) input.value = initial.slice(0, 20);

  function say(text, kind) {
    message.textContent = text || '';
    message.className = 'form-message' + (kind ? ' ' + kind : '');
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function show(data) {
    while (result.firstChild) result.removeChild(result.firstChild);
    var head = el('div', 'track-head');
    head.appendChild(el('div', 'track-number', data.number));
    head.appendChild(el('span', 'pill ' + (data.delivered ? 'pill-ok' : 'pill-info'), data.delivered ? t.delivered : t.onTheWay));
    result.appendChild(head);
    result.appendChild(el('p', 'muted', t.route + ': ' + t.cities[data.from] + ' → ' + t.cities[data.to]));
    var list = el('ol', 'timeline');
    data.events.forEach(function (event, i) {
      var item = el('li', i === 0 ? 'current' : '');
      item.appendChild(el('strong', '', t.statuses[event.status] || event.status));
      item.appendChild(
        el(
          'span',
          'muted',
          (t.cities[event.city] || event.city) +
            ' · ' +
            new Date(event.time).toLocaleString(lang === 'kk' ? 'kk-KZ' : lang === 'ru' ? 'ru-RU' : 'en-GB', {
              dateStyle: 'medium',
              timeStyle: 'short',
            }),
        ),
      );
      list.appendChild(item);
    });
    result.appendChild(list);
    result.hidden = false;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var number = input.value.trim().toUpperCase();
    if (!/^[A-Z0-9]{6,20}$/.test(number)) return say(t.badNumber, 'error');
    var token = window.grecaptcha && window.grecaptcha.getResponse ? window.grecaptcha.getResponse() : '';
    if (!token) return say(t.needCaptcha, 'error');
    say(t.loading);
    fetch('/api/track?number=' + encodeURIComponent(number) + '&token=' + encodeURIComponent(token), { cache: 'no-store' })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (answer) {
        if (window.grecaptcha && window.grecaptcha.reset) window.grecaptcha.reset();
        if (answer.status === 200) {
          say('');
          show(answer.body);
          return;
        }
        say(answer.body && answer.body.error === 'number' ? t.badNumber : t.captchaRejected, 'error');
      })
      .catch(function () {
        say(t.failed, 'error');
      });
  });
  window.addEventListener('recaptcha:verified', function () {
    say('');
  });

  // "Allow reCAPTCHA": the site's own button, a kelisim API call.
  var allow = document.querySelector('[data-allow-service]');
  if (allow && window.kelisimReady) {
    window.kelisimReady.then(
      function (kelisim) {
        var name = allow.getAttribute('data-allow-service');
        function update() {
          allow.hidden = kelisim.isAllowed(name);
        }
        allow.addEventListener('click', function () {
          kelisim.allowService(name);
        });
        window.addEventListener('kelisim:change', update);
        update();
      },
      function () {},
    );
  }
})();
