#include <sqlite3.h>
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
    saved.rotation = {{{"cross-arm", 1}, {"seated-twist", 0}}, "seated-twist", 0b100101};
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
    CHECK(loaded->rotation.served_today == 0b100101);

    auto today = std::chrono::floor<std::chrono::days>(noon);
    auto days = store.days(noon - 45min);
    REQUIRE(days.size() == 1);
    CHECK(days[0].day == today);
    CHECK((days[0].natural == 1 && days[0].skipped == 1 && days[0].done == 0));
    CHECK(store.days(noon - 2h)[0].done == 1);
    CHECK(store.days(noon).empty());
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
    CHECK(store.days(noon).size() == 1);
    int aside = 0;
    for (auto& entry : fs::directory_iterator(dir.root))
        if (entry.path().filename().string().rfind("state.db.broken-", 0) == 0) ++aside;
    CHECK(aside == 1);
}

// A damaged page is looked for only when the last run left its write-ahead log behind: a check
// of a long history at every start would hold the daemon up.
TEST_CASE("a database is checked only after a run that did not stop cleanly", "[state]") {
    TempTree dir;
    auto path = (dir.root / "state.db").string();
    {
        StateStore store(path);
        std::vector<Record> day;
        for (int i = 0; i < 2000; ++i)
            day.push_back(Record{Outcome::done, "seated-twist-" + std::to_string(i), noon, 1s});
        store.save(Snapshot{}, day);
    }
    REQUIRE_FALSE(fs::exists(path + "-wal"));
    auto size = fs::file_size(path);
    REQUIRE(size > 20 * 4096);
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(size - 4096));
        file << std::string(4096, '\xff');
    }
    auto moved_aside = [&] {
        for (auto& entry : fs::directory_iterator(dir.root))
            if (entry.path().filename().string().rfind("state.db.broken-", 0) == 0) return true;
        return false;
    };
    StateStore{path}.load_state();
    CHECK_FALSE(moved_aside());

    std::ofstream(path + "-wal").close();  // what a killed daemon leaves
    StateStore store(path);
    CHECK(moved_aside());
    CHECK_FALSE(store.load_state());
}

TEST_CASE("stats are counted by day and by stretch in the database", "[state]") {
    TempTree dir;
    StateStore store((dir.root / "state.db").string());
    auto monday = std::chrono::floor<std::chrono::days>(noon);
    std::vector<Record> breaks;
    auto add = [&](std::chrono::local_days day, Outcome outcome, int n, const std::string& id) {
        for (int i = 0; i < n; ++i)
            breaks.push_back(Record{outcome, id, day + 9h + std::chrono::hours{i}, 1s});
    };
    add(monday, Outcome::done, 1, "a");
    add(monday, Outcome::done, 3, "b");
    add(monday, Outcome::done, 2, "d");
    add(monday, Outcome::done, 2, "c");
    add(monday, Outcome::skipped, 9, "e");
    add(monday, Outcome::natural, 4, "");
    add(monday - std::chrono::days{1}, Outcome::done, 5, "a");
    add(monday - std::chrono::days{400}, Outcome::missed, 2, "a");
    store.save(Snapshot{}, breaks);

    using Most = std::vector<std::pair<std::string, int>>;
    auto end = monday + std::chrono::days{1};
    CHECK(store.most_done(monday, end, 3) == Most{{"b", 3}, {"c", 2}, {"d", 2}});
    CHECK(store.most_done(monday - std::chrono::days{1}, end, 2) == Most{{"a", 6}, {"b", 3}});
    CHECK(store.most_done(monday - std::chrono::days{1}, monday, 3) == Most{{"a", 5}});

    auto days = store.days(monday - std::chrono::days{500});
    REQUIRE(days.size() == 3);
    CHECK((days[0].day == monday - std::chrono::days{400} && days[0].missed == 2));
    CHECK((days[1].done == 5 && days[1].offered() == 5));
    CHECK((days[2].day == monday && days[2].done == 8 && days[2].skipped == 9 &&
           days[2].natural == 4 && days[2].missed == 0));
}

TEST_CASE("a history written by the first schema opens with its breaks and the stats index",
          "[state]") {
    TempTree dir;
    auto path = (dir.root / "state.db").string();
    auto at = (noon - 1h).time_since_epoch().count();
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        auto first =
            "CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE breaks (id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
            " stretch TEXT NOT NULL, outcome TEXT NOT NULL, response INTEGER NOT NULL);"
            "CREATE INDEX breaks_at ON breaks (at);"
            "INSERT INTO breaks (at, stretch, outcome, response) VALUES (" +
            std::to_string(at) + ", 'w-to-y', 'done', 5); PRAGMA user_version = 1;";
        REQUIRE(sqlite3_exec(db, first.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    {
        StateStore store(path);
        auto days = store.days(noon - 2h);
        REQUIRE(days.size() == 1);
        CHECK(days[0].done == 1);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::vector<std::string> indexes;
    sqlite3_exec(
        db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'breaks'",
        [](void* out, int, char** values, char**) {
            static_cast<std::vector<std::string>*>(out)->push_back(values[0]);
            return 0;
        },
        &indexes, nullptr);
    sqlite3_close(db);
    CHECK(indexes == std::vector<std::string>{"breaks_at_outcome"});
}
