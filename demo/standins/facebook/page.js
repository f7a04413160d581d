// Facebook page-plugin stand-in (kelisim demo). Sets cookies on its own host,
// as the real plugin does, and tells the embedding page that it loaded.
(function () {
  'use strict';
  var texts = {
    en: {
      badge: 'Facebook stand-in',
      followers: '12,480 followers',
      like: 'Follow',
      liked: 'Following',
      ago1: '2 hours ago',
      ago2: 'Yesterday',
      post1: 'New pickup points opened in Aktobe and Atyrau this week.',
      post2: 'Holiday schedule: our branches work as usual, couriers deliver until 21:00.',
    },
    ru: {
      badge: 'Заглушка Facebook',
      followers: '12 480 подписчиков',
      like: 'Подписаться',
      liked: 'Вы подписаны',
      ago1: '2 часа назад',
      ago2: 'Вчера',
      post1: 'На этой неделе открылись новые пункты выдачи в Актобе и Атырау.',
      post2: 'Праздничный график: отделения работают как обычно, курьеры доставляют до 21:00.',
    },
    kk: {
      badge: 'Facebook демо-нұсқасы',
      followers: '12 480 жазылушы',
      like: 'Жазылу',
      liked: 'Жазылдыңыз',
      ago1: '2 сағат бұрын',
      ago2: 'Кеше',
      post1: 'Осы аптада Ақтөбе мен Атырауда жаңа беру пункттері ашылды.',
      post2: 'Мереке кестесі: бөлімшелер әдеттегідей жұмыс істейді, курьерлер 21:00-ге дейін жеткізеді.',
    },
  };
  var params = new URLSearchParams(location.search);
  var lang = texts[params.get('locale')] ? params.get('locale') : 'en';
  var t = texts[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(function (el) {
    el.textContent = t[el.getAttribute('data-t')];
  });

  var rand = Math.random().toString(36).slice(2);
  document.cookie = 'datr=' + rand + '; Path=/; Max-Age=34560000; SameSite=Lax';
  document.cookie = 'fr=0' + rand + '.' + Date.now() + '; Path=/; Max-Age=7776000; SameSite=Lax';

  var like = document.getElementById('like');
  like.addEventListener('click', function () {
    var on = like.classList.toggle('on');
    like.textContent = on ? t.liked : t.like;
  });

  if (window.parent !== window) {
    window.parent.postMessage({ type: 'kelisim-demo-standin', name: 'facebook', event: 'ran' }, '*');
  }
})();
