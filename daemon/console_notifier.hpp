#pragma once

#include <cstdio>

#include "notifier.hpp"

namespace postured {

// Prints each break as a block of text, for a terminal without a desktop.
class ConsoleNotifier : public Notifier {
  public:
    explicit ConsoleNotifier(std::FILE* out) : out_(out) {}
    void show(const ShowBreak& request) override;
    void close() override {}

  private:
    std::FILE* out_;
};

}  // namespace postured
