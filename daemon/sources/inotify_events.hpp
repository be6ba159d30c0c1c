#pragma once

#include <sys/inotify.h>
#include <unistd.h>

namespace postured {

// Reads every event waiting on a non-blocking inotify descriptor, handing each to `each`.
template <typename Each>
void read_inotify_events(int fd, Each&& each) {
    alignas(inotify_event) char buffer[4096];
    for (;;) {
        auto length = ::read(fd, buffer, sizeof buffer);
        if (length <= 0) return;
        for (char* at = buffer; at < buffer + length;) {
            auto* event = reinterpret_cast<const inotify_event*>(at);
            at += sizeof(inotify_event) + event->len;
            each(*event);
        }
    }
}

}  // namespace postured
