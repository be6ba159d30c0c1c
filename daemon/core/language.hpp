#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Texts for people go through gettext, in the language the environment asks for (LANGUAGE,
// LC_ALL, LC_MESSAGES, LANG), as in every desktop program. The journal, config keys, stretch ids
// and the JSON values meant for scripts stay English (docs/translating.md).
#define _(msgid) ::postured::tr(msgid)
// Marks a text for the template where it is defined; it is translated with _() where shown.
#define N_(msgid) msgid

namespace postured {

inline constexpr const char* text_domain = "postured";

// Takes the messages, characters and dates of the locale from the environment (numbers stay C)
// and finds the translations in `datadir`/locale, where the build and the package put them
// beside the program's other data.
void use_the_users_language(const std::string& datadir);

// For a program whose words go to the journal: the libraries' messages (glibc's strerror, GLib's
// errors) stay English, and only postured's own texts for people are looked up in the user's
// language.
void keep_the_system_messages_in_english();

const char* tr(const char* msgid) __attribute__((format_arg(1)));
const char* tr_n(const char* singular, const char* plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

// While one lives, on its thread, tr gives the English: the journal is read in English whatever
// the session speaks, also where it logs a text that is shown to people too.
class InEnglish {
  public:
    InEnglish();
    ~InEnglish();
    InEnglish(const InEnglish&) = delete;
    InEnglish& operator=(const InEnglish&) = delete;
};

// A text in both languages: English for the journal, the user's language for people.
struct Said {
    std::string english;
    std::string translated;

    Said() = default;
    Said(std::string english_text, std::string translated_text)
        : english(std::move(english_text)), translated(std::move(translated_text)) {}
    // A text the same in every language: a name.
    explicit Said(std::string same) : english(same), translated(std::move(same)) {}
    bool operator==(const Said&) const = default;

    // The English inside an InEnglish, else the translation.
    const std::string& shown() const;
};

// A fixed text in both languages, marked for the template with N_() where it is written.
inline Said said(const char* english) {
    return {english, tr(english)};
}

// Runs `make`, which writes its text with _(), once in English and once in the user's language.
template <class Make>
Said say(Make make) {
    std::string english;
    {
        InEnglish in_english;
        english = make();
    }
    return {std::move(english), make()};
}

// strftime of a day, in the user's locale (C inside an InEnglish): "Mon  7 Dec".
std::string calendar_text(const char* pattern, std::chrono::local_days day);

// The items in the user's language's way of listing: "neck, shoulders, upper back".
std::string listed(const std::vector<std::string>& items);
// Each looked up in the user's language, then listed: the catalog's names of muscles.
std::string listed_in_users_language(const std::vector<std::string>& msgids);

// The columns a text takes in a terminal: two for each CJK letter, one for a Latin one.
int columns(std::string_view text);

// printf into a string, for translated templates: msgfmt --check holds every translation to the
// conversions of its English.
std::string formatted(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

}  // namespace postured
