#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "core/scheduler.hpp"
#include "core/stats.hpp"

namespace postured {

// What outlives the process, in SQLite (WAL, synced at each commit so that a power cut loses
// nothing that was answered): the scheduler's state and the history of every break.
class StateStore {
  public:
    // Opens or creates the database. One that SQLite finds corrupt is moved aside (with a
    // warning) and a fresh one started; on any other error (a full disk, a lock) the file is
    // kept as it is, and each call below tries to open it again, throwing while it cannot.
    // Throws std::runtime_error when the directory is not the user's own.
    explicit StateStore(const std::string& path);
    ~StateStore();
    StateStore(const StateStore&) = delete;
    StateStore& operator=(const StateStore&) = delete;

    std::optional<Snapshot> load_state();
    // The state and the breaks that ended since the last save, in one transaction.
    void save(const Snapshot& state, const std::vector<Record>& ended);
    // The days since `since` that had breaks, each counted by outcome, oldest first.
    std::vector<DayStats> days(LocalTime since);
    // The stretches done most from `since` until before `until`, most first (ties by id), at
    // most `limit` of them.
    std::vector<std::pair<std::string, int>> most_done(LocalTime since, LocalTime until, int limit);

    static constexpr int schema_version = 2;

  private:
    void open();
    void migrate();
    void exec(const char* sql);

    std::string path_;
    sqlite3* db_ = nullptr;
};

// $XDG_STATE_HOME/postured/state.db, or ~/.local/state/postured/state.db.
std::string default_state_path();

}  // namespace postured
