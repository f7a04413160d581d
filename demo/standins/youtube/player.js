// YouTube embed stand-in (kelisim demo): a self-drawn player. When it loads it
// sets cookies on its own host, as the real embed does, and tells the page.
(function () {
  'use strict';
  var texts = {
    en: { title: 'Dala Express: how we pack a parcel', badge: 'YouTube stand-in', play: 'Play', pause: 'Pause' },
    ru: { title: 'Dala Express: как мы упаковываем посылку', badge: 'Заглушка YouTube', play: 'Смотреть', pause: 'Пауза' },
    kk: { title: 'Dala Express: сәлемдемені қалай буып-түйеміз', badge: 'YouTube демо-нұсқасы', play: 'Көру', pause: 'Кідірту' },
  };
  var params = new URLSearchParams(location.search);
  var lang = texts[params.get('hl')] ? params.get('hl') : 'en';
  var t = texts[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(function (el) {
    el.textContent = t[el.getAttribute('data-t')];
  });
  document.querySelectorAll('[data-t-label]').forEach(function (el) {
    el.setAttribute('aria-label', t[el.getAttribute('data-t-label')]);
  });

  // The cookies a video embed sets on its own site.
  var rand = Math.random().toString(36).slice(2, 13);
  document.cookie = 'YSC=' + rand + '; Path=/; SameSite=Lax';
  document.cookie = 'VISITOR_INFO1_LIVE=' + rand.split('').reverse().join('') + '; Path=/; Max-Age=15552000; SameSite=Lax';

  var player = document.getElementById('player');
  var fill = document.getElementById('fill');
  var time = document.getElementById('time');
  var duration = 84;
  var position = 0;
  var timer = null;
  function render() {
    fill.style.width = (position / duration) * 100 + '%';
    var s = Math.floor(position);
    time.textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0') + ' / 1:24';
  }
  function toggle() {
    if (timer) {
      clearInterval(timer);
      timer = null;
      player.classList.remove('playing');
      return;
    }
    player.classList.add('playing');
    timer = setInterval(function () {
      position = (position + 0.25) % duration;
      render();
    }, 250);
  }
  document.getElementById('play').addEventListener('click', toggle);
  document.getElementById('toggle').addEventListener('click', toggle);

  if (window.parent !== window) {
    window.parent.postMessage({ type: 'kelisim-demo-standin', name: 'youtube', event: 'ran' }, '*');
  }
})();
