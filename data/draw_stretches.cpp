// Draws every stretch of the catalog from its pose, as DIR/ID.svg: the pictures installed beside
// the catalog for the notification, `posturectl stretches show` and the docs' gallery.
#include <fstream>
#include <iostream>

#include "shipped_catalog.hpp"

int main(int argc, char** argv) {
    using namespace postured;
    if (argc != 2) {
        std::cerr << "usage: draw_stretches DIR\n";
        return 2;
    }
    auto config = shipped_catalog();
    if (!config) return 1;
    for (auto& stretch : config->catalog) {
        if (!stretch.pose) {
            std::cerr << stretch.where.path << ":" << stretch.where.line << ": " << stretch.id
                      << " has no [stretch.pose] to draw\n";
            return 1;
        }
        auto path = std::string(argv[1]) + "/" + stretch.id + ".svg";
        if (!(std::ofstream(path) << pose_svg(*stretch.pose))) {
            std::cerr << "cannot write " << path << "\n";
            return 1;
        }
    }
}
