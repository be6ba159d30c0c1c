#include "state_store.hpp"

#include <sys/stat.h>

#include <spdlog/spdlog.h>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace postured {

namespace {

using nlohmann::json;

// Each step takes the schema from its index to the next version; never edit one that shipped.
const char* const migrations[] = {
    R"(CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
       CREATE TABLE breaks (id INTEGER PRIMARY KEY,
                            at INTEGER NOT NULL,          -- local time, seconds since the epoch
                            stretch TEXT NOT NULL,        -- empty for a natural break
                            outcome TEXT NOT NULL,
                            response INTEGER NOT NULL);   -- seconds from showing to the answer
       CREATE INDEX breaks_at ON breaks (at);)",
};
static_assert(std::size(migrations) == StateStore::schema_version);

class Statement {
  public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(statement_); }
    Statement& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(statement_, i, v);
        return *this;
    }
    Statement& bind(int i, const std::string& v) {
        sqlite3_bind_text(statement_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    bool step() {
        int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(sqlite3_errmsg(sqlite3_db_handle(statement_)));
    }
    std::int64_t integer(int column) { return sqlite3_column_int64(statement_, column); }
    std::string text(int column) {
        auto* t = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
        return t ? t : "";
    }

  private:
    sqlite3_stmt* statement_ = nullptr;
};

std::optional<Outcome> outcome_named(const std::string& name) {
    for (auto o : {Outcome::done, Outcome::snoozed, Outcome::skipped, Outcome::dismissed,
                   Outcome::missed, Outcome::natural})
        if (to_string(o) == name) return o;
    return std::nullopt;
}

json to_json(const Snapshot& s) {
    auto time = [](const std::optional<LocalTime>& t) {
        return t ? json(t->time_since_epoch().count()) : json();
    };
    return {{"saved_at", s.saved_at.time_since_epoch().count()},
            {"worked", s.worked.count()},
            {"owed", s.owed},
            {"snoozes", s.snoozes},
            {"snoozed_until", time(s.snoozed_until)},
            {"paused", s.paused},
            {"paused_until", time(s.paused_until)},
            {"upcoming", s.upcoming},
            {"round", s.rotation.left_in_round},
            {"last", s.rotation.last}};
}

Snapshot from_json(const json& j) {
    auto time = [&](const char* key) -> std::optional<LocalTime> {
        if (!j.contains(key) || j[key].is_null()) return std::nullopt;
        return LocalTime{seconds{j[key].get<std::int64_t>()}};
    };
    Snapshot s;
    s.saved_at = LocalTime{seconds{j.at("saved_at").get<std::int64_t>()}};
    s.worked = seconds{j.at("worked").get<std::int64_t>()};
    s.owed = j.value("owed", false);
    s.snoozes = j.value("snoozes", 0);
    s.snoozed_until = time("snoozed_until");
    s.paused = j.value("paused", false);
    s.paused_until = time("paused_until");
    s.upcoming = j.value("upcoming", "");
    s.rotation.left_in_round = j.value("round", std::vector<std::pair<std::string, int>>{});
    s.rotation.last = j.value("last", "");
    return s;
}

}  // namespace

std::string default_state_path() {
    std::string dir;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/')
        dir = state;
    else
        dir = std::string(std::getenv("HOME") ? std::getenv("HOME") : "") + "/.local/state";
    return dir + "/postured/state.db";
}

StateStore::StateStore(const std::string& path) : path_(path) {
    std::error_code ec;
    auto dir = std::filesystem::path(path).parent_path();
    std::filesystem::create_directories(dir, ec);
    chmod(dir.c_str(), 0700);
    try {
        open_checked();
    } catch (const std::exception& e) {
        if (db_) sqlite3_close(db_);
        db_ = nullptr;
        auto aside = path + ".broken-" + std::to_string(std::time(nullptr));
        spdlog::warn(
            "the state database {} is unusable ({}); moved it to {} and started a fresh one", path,
            e.what(), aside);
        std::filesystem::rename(path, aside, ec);
        for (auto suffix : {"-wal", "-shm"})
            std::filesystem::rename(path + suffix, aside + suffix, ec);
        open_checked();
    }
}

StateStore::~StateStore() {
    sqlite3_close(db_);
}

void StateStore::exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw std::runtime_error(message);
    }
}

void StateStore::open_checked() {
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
        throw std::runtime_error(db_ ? sqlite3_errmsg(db_) : "cannot open");
    sqlite3_busy_timeout(db_, 2000);
    exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    Statement check(db_, "PRAGMA quick_check");
    if (!check.step() || check.text(0) != "ok") throw std::runtime_error("integrity check failed");
    migrate();
}

void StateStore::migrate() {
    Statement read(db_, "PRAGMA user_version");
    read.step();
    auto version = static_cast<int>(read.integer(0));
    if (version > schema_version)
        throw std::runtime_error("written by a newer postured (schema " + std::to_string(version) +
                                 ")");
    for (; version < schema_version; ++version) {
        exec("BEGIN IMMEDIATE");
        exec(migrations[version]);
        exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
        exec("COMMIT");
    }
}

std::optional<Snapshot> StateStore::load_state() {
    Statement read(db_, "SELECT value FROM state WHERE key = 'scheduler'");
    if (!read.step()) return std::nullopt;
    try {
        return from_json(json::parse(read.text(0)));
    } catch (const std::exception& e) {
        spdlog::warn("the saved state cannot be read ({}); starting afresh", e.what());
        return std::nullopt;
    }
}

void StateStore::save(const Snapshot& state, const std::vector<Record>& ended) {
    exec("BEGIN IMMEDIATE");
    try {
        Statement(db_, "INSERT OR REPLACE INTO state (key, value) VALUES ('scheduler', ?)")
            .bind(1, to_json(state).dump())
            .step();
        for (auto& r : ended) {
            Statement(db_,
                      "INSERT INTO breaks (at, stretch, outcome, response) VALUES (?, ?, ?, ?)")
                .bind(1, r.at.time_since_epoch().count())
                .bind(2, r.stretch_id)
                .bind(3, std::string(to_string(r.outcome)))
                .bind(4, r.response.count())
                .step();
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

std::vector<HistoryEntry> StateStore::history(LocalTime since) {
    Statement read(
        db_, "SELECT at, stretch, outcome, response FROM breaks WHERE at >= ? ORDER BY at, id");
    read.bind(1, since.time_since_epoch().count());
    std::vector<HistoryEntry> out;
    while (read.step()) {
        auto outcome = outcome_named(read.text(2));
        if (!outcome) continue;
        out.push_back({LocalTime{seconds{read.integer(0)}}, *outcome, read.text(1),
                       seconds{read.integer(3)}});
    }
    return out;
}

}  // namespace postured
