#include "kelisim/i18n.hpp"

#include <iterator>

namespace kelisim {
namespace {

// One built-in string in every built-in language, kept side by side so that a
// reviewer sees the three versions together. Plain data: no constructors run
// at start-up.
struct BuiltinText {
  const char* key;
  const char* kk;
  const char* ru;
  const char* en;
};

constexpr BuiltinText kTexts[] = {
    {"banner.title", "Біз cookie файлдарын қолданамыз", "Мы используем файлы cookie", "We use cookies"},
    {"banner.description",
     "Кейбір cookie файлдары сайттың жұмысына қажет. Сіздің келісіміңізбен біз cookie файлдарын "
     "баптауларыңызды есте сақтау, сайтқа кірулерді есептеу, бейне сияқты ендірілген мазмұнды көрсету және "
     "маркетинг үшін де қолданамыз. Барлығын қабылдай аласыз, барлығынан бас тарта аласыз немесе "
     "қажеттісін өзіңіз таңдай аласыз; шешіміңізді кез келген уақытта өзгертуге болады. Толығырақ "
     "[құпиялылық саясатынан]({policyUrl}) оқи аласыз.",
     "Некоторые файлы cookie нужны для работы сайта. С вашего согласия мы также используем cookie, чтобы "
     "запоминать ваши настройки, считать посещения, показывать встроенный контент, например видео, и для "
     "маркетинга. Вы можете принять их все, отклонить все или выбрать сами — и изменить решение в любой "
     "момент. Подробнее — в [политике конфиденциальности]({policyUrl}).",
     "Some cookies are needed for the site to work. With your consent, we also use cookies to remember your "
     "settings, count visits, show embedded content such as videos, and for marketing. You can accept them "
     "all, reject them all or choose for yourself, and change your mind at any time. Details are in our "
     "[privacy policy]({policyUrl})."},
    {"banner.acceptAll", "Барлығын қабылдау", "Принять все", "Accept all"},
    {"banner.rejectAll", "Барлығынан бас тарту", "Отклонить все", "Reject all"},
    {"banner.preferences", "Баптаулар", "Настройки", "Settings"},
    {"banner.revisionNotice", "Соңғы кіруіңізден бері cookie саясатымыз өзгерді, сондықтан таңдауыңызды қайта сұраймыз.",
     "С вашего последнего визита наша политика в отношении cookie изменилась, поэтому просим вас выбрать "
     "снова.",
     "Our cookie policy has changed since your last visit, so we are asking for your choice again."},
    {"banner.newServicesNotice", "Сізден әлі сұралмаған жаңа қызметтер қосылды. Олар бойынша таңдау жасаңыз.",
     "Мы добавили сервисы, о которых вас ещё не спрашивали. Пожалуйста, сделайте выбор для них.",
     "We have added services you have not been asked about yet. Please make your choice for them."},
    {"preferences.title", "Cookie баптаулары", "Настройки cookie", "Cookie settings"},
    {"preferences.description",
     "Біз қандай cookie файлдарын қолдана алатынымызды таңдаңыз. Қажетті cookie файлдары әрқашан қосулы, "
     "өйткені оларсыз сайт жұмыс істемейді. Таңдауыңызды кез келген уақытта өзгертуге болады.",
     "Выберите, какие файлы cookie мы можем использовать. Необходимые включены всегда: без них сайт не "
     "работает. Изменить выбор можно в любой момент.",
     "Choose which cookies we may use. Necessary cookies are always on because the site cannot work without "
     "them. You can change your choice at any time."},
    {"preferences.acceptAll", "Барлығын қабылдау", "Принять все", "Accept all"},
    {"preferences.rejectAll", "Барлығынан бас тарту", "Отклонить все", "Reject all"},
    {"preferences.save", "Таңдауды сақтау", "Сохранить выбор", "Save my choices"},
    {"preferences.close", "Жабу", "Закрыть", "Close"},
    {"preferences.contact", "Деректеріңізге қатысты сұрақтарыңыз болса, бізге жазыңыз: {contact}",
     "Вопросы о ваших данных? Напишите нам: {contact}", "Questions about your data? Write to us: {contact}"},
    {"preferences.gpcNotice",
     "Браузеріңіз Global Privacy Control сигналын жіберді: ол деректеріңізді сатпауды және басқаларға "
     "бермеуді сұрайды. Біз оны ескереміз: тиісті санаттарды осы жерде өзіңіз қоспасаңыз, олар өшірулі "
     "күйде қалады.",
     "Ваш браузер передал сигнал Global Privacy Control — просьбу не продавать и не передавать ваши данные. "
     "Мы его соблюдаем: относящиеся к нему категории останутся выключенными, если вы сами не включите их "
     "здесь.",
     "Your browser sent a Global Privacy Control signal asking us not to sell or share your data. We respect "
     "it: the categories it covers stay off unless you switch them on here yourself."},
    {"preferences.language", "Тіл", "Язык", "Language"},
    {"placeholder.text",
     "Бұл мазмұн {service} қызметінен жүктеледі және cookie файлдарын сақтауы мүмкін. Ол сіз рұқсат "
     "бергеннен кейін ғана көрсетіледі.",
     "Этот контент предоставлен сервисом {service}, который может сохранять файлы cookie. Он будет показан "
     "только после вашего разрешения.",
     "This content comes from {service}, which may set cookies. It is shown only after you allow it."},
    {"placeholder.loadOnce", "Бір рет жүктеу", "Загрузить один раз", "Load once"},
    {"placeholder.allowService", "Әрқашан рұқсат ету", "Разрешать всегда", "Always allow"},
    {"ui.expiredNotice", "Алдыңғы таңдауыңыздың мерзімі аяқталды, сондықтан оны қайта сұраймыз.",
     "Срок действия вашего прошлого выбора истёк, поэтому просим выбрать снова.",
     "Your previous choice has expired, so we are asking for it again."},
    {"ui.reopen", "Cookie баптаулары", "Настройки cookie", "Cookie settings"},
    {"ui.banner", "Cookie файлдарына келісім", "Согласие на использование cookie", "Cookie consent"},
    {"ui.services", "Қызметтер", "Сервисы", "Services"},
    {"ui.cookies", "Cookie файлдары", "Файлы cookie", "Cookies"},
    {"ui.required", "Әрқашан қосулы", "Всегда включены", "Always on"},
    {"ui.policy", "Құпиялылық саясаты", "Политика конфиденциальности", "Privacy policy"},
    {"categories.necessary.title", "Қажетті", "Необходимые", "Necessary"},
    {"categories.necessary.description",
     "Сайттың жұмысы мен қауіпсіздігі үшін қажет, мысалы, осы таңдауды есте сақтау үшін. Оларды өшіру "
     "мүмкін емес.",
     "Нужны для работы и безопасности сайта, например чтобы запомнить этот выбор. Их нельзя отключить.",
     "Needed for the site to work and stay secure, for example to remember this choice. They cannot be "
     "switched off."},
    {"categories.preferences.title", "Жеке баптаулар", "Предпочтения", "Preferences"},
    {"categories.preferences.description",
     "Тіл сияқты баптауларыңызды есте сақтайды, сондықтан оларды қайта таңдаудың қажеті болмайды.",
     "Запоминают ваши настройки, например язык, чтобы вам не приходилось выбирать их заново.",
     "Remember your settings, such as language, so that you do not have to set them again."},
    {"categories.analytics.title", "Аналитика", "Аналитика", "Analytics"},
    {"categories.analytics.description",
     "Сайттың қалай пайдаланылатынын, мысалы, қай беттер жиі ашылатынын көрсетеді. Бұл сайтты "
     "жақсартуға көмектеседі.",
     "Показывают нам, как используется сайт, например какие страницы посещают чаще, чтобы мы могли его "
     "улучшить.",
     "Show us how the site is used, for example which pages are visited most, so that we can improve it."},
    {"categories.marketing.title", "Маркетинг", "Маркетинг", "Marketing"},
    {"categories.marketing.description",
     "Осы және басқа сайттарда сізге қызықтырақ жарнама көрсетуге және оның тиімділігін бағалауға "
     "мүмкіндік береді.",
     "Позволяют показывать более подходящую рекламу на этом и других сайтах и оценивать её эффективность.",
     "Used to show you more relevant ads on this and other sites and to measure how well they work."},
    {"categories.embedded.title", "Ендірілген мазмұн", "Встроенный контент", "Embedded content"},
    {"categories.embedded.description",
     "Басқа сайттардағы бейнелер, әлеуметтік желі жазбалары және өзге мазмұн, мысалы, YouTube. Бұл "
     "сайттар өз cookie файлдарын сақтауы мүмкін.",
     "Видео, публикации из соцсетей и другой контент с других сайтов, например YouTube. Эти сайты могут "
     "сохранять собственные файлы cookie.",
     "Videos, social media posts and other content from other sites, such as YouTube. These sites may set "
     "their own cookies."},
};

constexpr const char* kLanguages[] = {"kk", "ru", "en"};

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

// Lower-cases, reads '_' as '-' and trims surrounding spaces: "  kk_KZ " -> "kk-kz".
std::string fold_tag(std::string_view tag) {
  while (!tag.empty() && is_space(tag.front())) tag.remove_prefix(1);
  while (!tag.empty() && is_space(tag.back())) tag.remove_suffix(1);
  std::string out;
  out.reserve(tag.size());
  for (char c : tag) out.push_back(c == '_' ? '-' : lower_ascii(c));
  return out;
}

// The folded tag when it is well-formed enough to negotiate with, else "":
// alphanumeric subtags of 1..8 chars, the first one 2..8 letters.
std::string normalize_tag(std::string_view tag) {
  std::string out = fold_tag(tag);
  size_t start = 0;
  for (size_t i = 0; i <= out.size(); ++i) {
    if (i < out.size() && out[i] != '-') {
      if (!is_alnum(out[i]) || (start == 0 && !is_alpha(out[i]))) return {};
      continue;
    }
    const size_t len = i - start;
    if (len < (start == 0 ? 2u : 1u) || len > 8) return {};
    start = i + 1;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& builtin_languages() {
  static const std::vector<std::string> languages(std::begin(kLanguages), std::end(kLanguages));
  return languages;
}

const char* builtin_text(std::string_view lang, std::string_view key) {
  int column = -1;
  for (int i = 0; i < 3; ++i)
    if (iequals(lang, kLanguages[i])) column = i;
  if (column < 0) return nullptr;
  for (const BuiltinText& t : kTexts) {
    if (key == t.key) return column == 0 ? t.kk : column == 1 ? t.ru : t.en;
  }
  return nullptr;
}

const std::vector<std::string>& builtin_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const BuiltinText& t : kTexts) k.emplace_back(t.key);
    return k;
  }();
  return keys;
}

std::string negotiate_language(const std::vector<std::string>& requested, const std::vector<std::string>& available,
                               const std::string& fallback) {
  std::vector<std::string> offered;
  offered.reserve(available.size());
  for (const std::string& a : available) offered.push_back(normalize_tag(a));

  for (const std::string& r : requested) {
    std::string candidate = normalize_tag(r);
    while (!candidate.empty()) {
      for (size_t i = 0; i < offered.size(); ++i)
        if (!offered[i].empty() && offered[i] == candidate) return available[i];
      size_t dash = candidate.rfind('-');
      if (dash == std::string::npos) break;
      candidate.resize(dash);
      // RFC 4647: never end on a singleton ("en-a-bbb" -> "en-a" -> "en").
      while ((dash = candidate.rfind('-')) != std::string::npos && candidate.size() - dash == 2) candidate.resize(dash);
    }
  }
  return fallback;
}

bool is_rtl(std::string_view lang) {
  const std::string tag = fold_tag(lang);
  const size_t dash = tag.find('-');
  const std::string_view primary = std::string_view(tag).substr(0, dash);
  if (dash != std::string::npos) {
    const std::string_view second = std::string_view(tag).substr(dash + 1, tag.find('-', dash + 1) - dash - 1);
    if (second.size() == 4 && is_alpha(second[0]) && is_alpha(second[1]) && is_alpha(second[2]) && is_alpha(second[3])) {
      for (const char* script : {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"})
        if (second == script) return true;
      return false;
    }
  }
  for (const char* rtl : {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "iw", "ji"})
    if (primary == rtl) return true;
  return false;
}

}  // namespace kelisim
