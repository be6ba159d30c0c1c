// The floor under postured's start: a program linked to every library postured loads, that does
// nothing but say READY=1 as postured does once it is up. bench/footprint starts the two in turn
// and prints what postured adds on top of this. With an argument it then waits for a signal, so
// that its memory can be read beside the daemon's.
#include <systemd/sd-daemon.h>
#include <unistd.h>

int main(int argc, char**) {
    if (sd_notify(0, "READY=1") < 0) return 1;
    if (argc > 1) pause();
    return 0;
}
