// The floor under postured's start: a program linked to every library postured loads, that does
// nothing but say READY=1 as postured does once it is up. bench/footprint starts the two in turn
// and prints what postured adds on top of this.
#include <systemd/sd-daemon.h>

int main() {
    return sd_notify(0, "READY=1") < 0 ? 1 : 0;
}
