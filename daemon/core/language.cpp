#include "core/language.hpp"

#include <libintl.h>
#include <locale.h>

#include <algorithm>
#include <clocale>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <cwchar>

namespace postured {

namespace {

thread_local int english_depth = 0;
// Whether the user's language has a catalog of postured's: without one, every text is its
// msgid, and gettext is not asked (a search of its cache for each of posturectl's many texts).
bool have_catalog = false;
// In the daemon, the user's messages locale for postured's own texts, while the process speaks C.
locale_t users_messages = nullptr;

// A lookup in the user's language, whatever the process's own.
template <class Lookup>
const char* in_users_language(Lookup lookup) {
    if (!users_messages) return lookup();
    auto previous = uselocale(users_messages);
    auto text = lookup();
    uselocale(previous);
    return text;
}

}  // namespace

void use_the_users_language(const std::string& datadir) {
    // Only what people read: the messages, the characters (their widths) and the dates. Numbers
    // stay the C way, in the config as on the wire; and every category more is files to open at
    // each start of posturectl.
    for (int category : {LC_CTYPE, LC_MESSAGES, LC_TIME})
        std::setlocale(category, "");
    bindtextdomain(text_domain, (datadir + "/locale").c_str());
    bind_textdomain_codeset(text_domain, "UTF-8");
    const char* header = "";  // the catalog's header, or nothing (not a message for the template)
    have_catalog = *dgettext(text_domain, header) != '\0';
}

void keep_the_system_messages_in_english() {
    users_messages = newlocale(LC_MESSAGES_MASK, std::setlocale(LC_MESSAGES, nullptr), nullptr);
    std::setlocale(LC_MESSAGES, "C");
}

const char* tr(const char* msgid) {
    if (english_depth || !have_catalog) return msgid;
    return in_users_language([msgid] { return dgettext(text_domain, msgid); });
}

const char* tr_n(const char* singular, const char* plural, unsigned long n) {
    if (english_depth || !have_catalog) return n == 1 ? singular : plural;
    return in_users_language([=] { return dngettext(text_domain, singular, plural, n); });
}

InEnglish::InEnglish() {
    ++english_depth;
}

InEnglish::~InEnglish() {
    --english_depth;
}

const std::string& Said::shown() const {
    return english_depth ? english : translated;
}

std::string calendar_text(const char* pattern, std::chrono::local_days day) {
    std::chrono::year_month_day date{day};
    std::tm tm{};
    tm.tm_year = int(date.year()) - 1900;
    tm.tm_mon = static_cast<int>(unsigned(date.month())) - 1;
    tm.tm_mday = static_cast<int>(unsigned(date.day()));
    tm.tm_wday = static_cast<int>(std::chrono::weekday{day}.c_encoding());
    static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", nullptr);
    char text[128];
    auto length = english_depth ? strftime_l(text, sizeof text, pattern, &tm, c_locale)
                                : std::strftime(text, sizeof text, pattern, &tm);
    return std::string(text, length);
}

std::string listed(const std::vector<std::string>& items) {
    // TRANSLATORS: between the items of a list, as in "neck, shoulders, upper back".
    const char* separator = _(", ");
    std::string text;
    for (auto& item : items)
        text += (text.empty() ? "" : separator) + item;
    return text;
}

std::string listed_in_users_language(const std::vector<std::string>& msgids) {
    std::vector<std::string> words;
    for (auto& msgid : msgids)
        words.emplace_back(tr(msgid.c_str()));
    return listed(words);
}

int columns(std::string_view text) {
    std::mbstate_t state{};
    int width = 0;
    for (std::size_t at = 0; at < text.size();) {
        wchar_t letter;
        auto length = std::mbrtowc(&letter, text.data() + at, text.size() - at, &state);
        if (length == 0 || length > text.size() - at) {
            // Not in the locale's encoding: a byte a column, as a terminal would show it.
            state = {};
            ++width;
            ++at;
            continue;
        }
        width += std::max(wcwidth(letter), 0);
        at += length;
    }
    return width;
}

std::string formatted(const char* pattern, ...) {
    va_list args;
    va_start(args, pattern);
    va_list again;
    va_copy(again, args);
    int length = std::vsnprintf(nullptr, 0, pattern, args);
    va_end(args);
    std::string text(length > 0 ? std::size_t(length) : 0, '\0');
    if (length > 0) std::vsnprintf(text.data(), text.size() + 1, pattern, again);
    va_end(again);
    return text;
}

}  // namespace postured
