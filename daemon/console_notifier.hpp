#pragma once

#include <cstdio>

#include "notifier.hpp"

namespace postured {

// Prints each break as a block of text, for a terminal without a desktop: in the user's
// language, or in English where `out` is the journal, which is read in English.
class ConsoleNotifier : public Notifier {
  public:
    ConsoleNotifier(std::FILE* out, bool in_english) : out_(out), in_english_(in_english) {}
    void show(const ShowBreak& request) override;
    void close() override {}

  private:
    std::FILE* out_;
    bool in_english_;
};

}  // namespace postured
