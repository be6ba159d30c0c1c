#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace postured::test {

// A directory of its own for one test, removed afterwards.
struct TempTree {
    std::filesystem::path root;
    TempTree() {
        char name[] = "/tmp/postured-test-XXXXXX";
        root = mkdtemp(name);
    }
    ~TempTree() { std::filesystem::remove_all(root); }
    std::string write(const std::string& relative, const std::string& text) {
        auto path = root / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
        return path;
    }
};

}  // namespace postured::test
