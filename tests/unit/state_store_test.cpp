#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "state_store.hpp"
#include "temp_tree.hpp"

using namespace postured;
using postured::test::TempTree;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const LocalTime noon{std::chrono::local_days{std::chrono::year{2026} / 11 / 23} + 12h};

}  // namespace

TEST_CASE("the state and the history survive closing the database", "[state]") {
    TempTree dir;
    auto path = (dir.root / "postured" / "state.db").string();
    Snapshot saved;
    saved.saved_at = noon;
    saved.worked = 1234s;
    saved.owed = true;
    saved.snoozes = 2;
    saved.snoozed_until = noon + 10min;
    saved.paused = true;
    saved.upcoming = "cross-arm";
    saved.rotation = {{{"cross-arm", 1}, {"seated-twist", 0}}, "seated-twist"};
    {
        StateStore store(path);
        CHECK_FALSE(store.load_state());
        store.save(saved, {Record{Outcome::done, "seated-twist", noon - 1h, 42s},
                           Record{Outcome::natural, "", noon - 30min}});
        store.save(saved, {Record{Outcome::skipped, "cross-arm", noon - 5min, 3s}});
    }
    StateStore store(path);
    auto loaded = store.load_state();
    REQUIRE(loaded);
    CHECK(loaded->saved_at == noon);
    CHECK(loaded->worked == 1234s);
    CHECK(loaded->owed);
    CHECK(loaded->snoozes == 2);
    CHECK(loaded->snoozed_until == noon + 10min);
    CHECK(loaded->paused);
    CHECK_FALSE(loaded->paused_until);
    CHECK(loaded->upcoming == "cross-arm");
    CHECK(loaded->rotation.left_in_round == saved.rotation.left_in_round);
    CHECK(loaded->rotation.last == "seated-twist");

    auto history = store.history(noon - 45min);
    REQUIRE(history.size() == 2);
    CHECK(history[0].outcome == Outcome::natural);
    CHECK(history[0].stretch.empty());
    CHECK(history[1].outcome == Outcome::skipped);
    CHECK(history[1].stretch == "cross-arm");
    CHECK(history[1].response == 3s);
    CHECK(store.history(noon - 2h).size() == 3);
    CHECK((fs::status(dir.root / "postured").permissions() & fs::perms::others_all) ==
          fs::perms::none);
}

TEST_CASE("a corrupted database is moved aside and a fresh one works", "[state]") {
    TempTree dir;
    auto path = (dir.root / "state.db").string();
    std::ofstream(path) << std::string(8192, 'x');
    StateStore store(path);
    CHECK_FALSE(store.load_state());
    store.save(Snapshot{}, {Record{Outcome::done, "w-to-y", noon, 1s}});
    CHECK(store.history(noon).size() == 1);
    int aside = 0;
    for (auto& entry : fs::directory_iterator(dir.root))
        if (entry.path().filename().string().rfind("state.db.broken-", 0) == 0) ++aside;
    CHECK(aside == 1);
}
