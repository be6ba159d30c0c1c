#include "state_store.hpp"

#include <spdlog/spdlog.h>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "private_dir.hpp"

namespace postured {

namespace {

using nlohmann::json;

// What SQLite said, with its code: only a corrupt database is moved aside.
struct SqliteError : std::runtime_error {
    SqliteError(sqlite3* db, int rc)
        : std::runtime_error(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), code(rc) {}
    SqliteError(const std::string& what, int rc) : std::runtime_error(what), code(rc) {}
    bool corrupt() const {
        return (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB;
    }
    int code;
};

// Each step takes the schema from its index to the next version; never edit one that shipped.
const char* const migrations[] = {
    R"(CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
       CREATE TABLE breaks (id INTEGER PRIMARY KEY,
                            at INTEGER NOT NULL,          -- local time, seconds since the epoch
                            stretch TEXT NOT NULL,        -- empty for a natural break
                            outcome TEXT NOT NULL,
                            response INTEGER NOT NULL);   -- seconds from showing to the answer
       CREATE INDEX breaks_at ON breaks (at);)",
    // Stats read a year of days; with the outcome in the index they never visit the table.
    R"(CREATE INDEX breaks_at_outcome ON breaks (at, outcome);
       DROP INDEX breaks_at;)",
};
static_assert(std::size(migrations) == StateStore::schema_version);

class Statement {
  public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
            throw SqliteError(db, sqlite3_extended_errcode(db));
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
        throw SqliteError(sqlite3_db_handle(statement_), rc);
    }
    std::int64_t integer(int column) { return sqlite3_column_int64(statement_, column); }
    std::string text(int column) {
        auto* t = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
        return t ? t : "";
    }

  private:
    sqlite3_stmt* statement_ = nullptr;
};

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
            {"last", s.rotation.last},
            {"served_today", s.rotation.served_today}};
}

// Numbers are taken only as whole numbers that fit: a float or a huge value is an error here,
// and the scheduler checks the ranges of what passes.
std::int64_t whole(const json& j, const char* key) {
    auto& v = j.at(key);
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
        throw std::runtime_error(std::string(key) + " is not a whole number");
    return v.get<std::int64_t>();
}

Snapshot from_json(const json& j) {
    auto time = [&](const char* key) -> std::optional<LocalTime> {
        if (!j.contains(key) || j[key].is_null()) return std::nullopt;
        return LocalTime{seconds{whole(j, key)}};
    };
    Snapshot s;
    s.saved_at = LocalTime{seconds{whole(j, "saved_at")}};
    s.worked = seconds{whole(j, "worked")};
    s.owed = j.value("owed", false);
    s.snoozes = j.contains("snoozes") ? whole(j, "snoozes") : 0;
    s.snoozed_until = time("snoozed_until");
    s.paused = j.value("paused", false);
    s.paused_until = time("paused_until");
    s.upcoming = j.value("upcoming", "");
    s.rotation.left_in_round = j.value("round", std::vector<std::pair<std::string, int>>{});
    s.rotation.last = j.value("last", "");
    // Six muscle groups: a number outside their bits is damage, and serves none.
    if (auto served = j.contains("served_today") ? whole(j, "served_today") : 0;
        served >= 0 && served < 64)
        s.rotation.served_today = static_cast<MuscleSet>(served);
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
    auto dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    std::filesystem::create_directories(dir.parent_path(), ec);
    make_private_dir(dir);
    try {
        open();
    } catch (const SqliteError& e) {
        if (!e.corrupt()) return;  // kept as it is; opened again at the next save
        auto aside = path + ".broken-" + std::to_string(std::time(nullptr));
        spdlog::warn(
            "the state database {} is corrupt ({}); moved it to {} and started a fresh one", path,
            e.what(), aside);
        std::filesystem::rename(path, aside, ec);
        for (auto suffix : {"-wal", "-shm"})
            std::filesystem::rename(path + suffix, aside + suffix, ec);
        try {
            open();
        } catch (const SqliteError&) {
        }
    }
}

StateStore::~StateStore() {
    sqlite3_close(db_);
}

void StateStore::exec(const char* sql) {
    char* error = nullptr;
    if (int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error); rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw SqliteError(message, sqlite3_extended_errcode(db_));
    }
}

void StateStore::open() {
    if (db_) return;
    // The last connection to close removes the write-ahead log: one left behind means the last
    // run did not stop cleanly, and only then is the file checked, which takes time on a long
    // history.
    std::error_code ec;
    bool unclean = std::filesystem::exists(path_ + "-wal", ec);
    try {
        // Only the daemon's loop uses the store: no lock around each call to SQLite.
        if (int rc = sqlite3_open_v2(
                path_.c_str(), &db_,
                SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
            rc != SQLITE_OK)
            throw SqliteError(db_, rc);
        sqlite3_busy_timeout(db_, 2000);
        // A page cache of 128 KiB: the history is read now and then, never kept in memory.
        exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -128;");
        if (unclean) {
            Statement check(db_, "PRAGMA quick_check");
            if (!check.step() || check.text(0) != "ok")
                throw SqliteError("integrity check failed", SQLITE_CORRUPT);
        }
        migrate();
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

void StateStore::migrate() {
    // Read in a statement of its own: a schema change fails while a statement is still running.
    auto version = [&] {
        Statement read(db_, "PRAGMA user_version");
        read.step();
        return static_cast<int>(read.integer(0));
    }();
    if (version > schema_version)
        throw SqliteError("written by a newer postured (schema " + std::to_string(version) + ")",
                          SQLITE_CANTOPEN);
    for (; version < schema_version; ++version) {
        exec("BEGIN IMMEDIATE");
        exec(migrations[version]);
        exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
        exec("COMMIT");
    }
}

std::optional<Snapshot> StateStore::load_state() {
    open();
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
    open();
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
        // SQLite may have rolled back already (a full disk does): the error to tell is the first.
        if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

// Counted here rather than by SQL's GROUP BY, which would sort rows the index already gives in
// order.
std::vector<DayStats> StateStore::days(LocalTime since) {
    open();
    Statement read(db_, "SELECT at, outcome FROM breaks WHERE at >= ? ORDER BY at");
    read.bind(1, std::max(since.time_since_epoch().count(), std::int64_t{0}));
    std::vector<DayStats> out;
    while (read.step()) {
        auto day =
            std::chrono::floor<std::chrono::days>(LocalTime{LocalTime::duration{read.integer(0)}});
        if (out.empty() || out.back().day != day) out.push_back(DayStats{day});
        if (auto outcome = outcome_names.parse(read.text(1))) out.back().count(*outcome);
    }
    return out;
}

std::vector<std::pair<std::string, int>> StateStore::most_done(LocalTime since, LocalTime until,
                                                               int limit) {
    open();
    Statement read(db_,
                   "SELECT stretch, count(*) AS n FROM breaks "
                   "WHERE at >= ? AND at < ? AND outcome = 'done' AND stretch != '' "
                   "GROUP BY stretch ORDER BY n DESC, stretch LIMIT ?");
    read.bind(1, since.time_since_epoch().count())
        .bind(2, until.time_since_epoch().count())
        .bind(3, std::int64_t{limit});
    std::vector<std::pair<std::string, int>> out;
    while (read.step())
        out.emplace_back(read.text(0), static_cast<int>(read.integer(1)));
    return out;
}

}  // namespace postured
