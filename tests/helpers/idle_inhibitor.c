/* What a video player does on Wayland: a visible window holding a zwp_idle_inhibitor_v1. Prints
 * "inhibiting" once the window is shown with the inhibitor on it, and holds it until stdin closes.
 * WAYLAND_DISPLAY names the compositor. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

#include "idle-inhibit-unstable-v1-client.h"
#include "xdg-shell-client.h"

enum { width = 200, height = 200 };

static struct wl_compositor* compositor;
static struct wl_shm* shm;
static struct xdg_wm_base* wm_base;
static struct zwp_idle_inhibit_manager_v1* inhibit_manager;
static int configured;

static void global(void* data, struct wl_registry* registry, uint32_t name, const char* interface,
                   uint32_t version) {
    (void)data, (void)version;
    if (!strcmp(interface, wl_compositor_interface.name))
        compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 1);
    else if (!strcmp(interface, wl_shm_interface.name))
        shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
    else if (!strcmp(interface, xdg_wm_base_interface.name))
        wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
    else if (!strcmp(interface, zwp_idle_inhibit_manager_v1_interface.name))
        inhibit_manager =
            wl_registry_bind(registry, name, &zwp_idle_inhibit_manager_v1_interface, 1);
}

static void global_remove(void* data, struct wl_registry* registry, uint32_t name) {
    (void)data, (void)registry, (void)name;
}

static void ping(void* data, struct xdg_wm_base* base, uint32_t serial) {
    (void)data;
    xdg_wm_base_pong(base, serial);
}

static void surface_configure(void* data, struct xdg_surface* surface, uint32_t serial) {
    (void)data;
    xdg_surface_ack_configure(surface, serial);
    configured = 1;
}

static void toplevel_configure(void* data, struct xdg_toplevel* toplevel, int32_t w, int32_t h,
                               struct wl_array* states) {
    (void)data, (void)toplevel, (void)w, (void)h, (void)states;
}

static void toplevel_close(void* data, struct xdg_toplevel* toplevel) {
    (void)data, (void)toplevel;
}

static struct wl_buffer* grey_buffer(void) {
    int stride = width * 4, size = stride * height;
    int fd = memfd_create("idle-inhibitor", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, size) < 0) return NULL;
    void* pixels = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (pixels == MAP_FAILED) return NULL;
    memset(pixels, 0x80, size);
    munmap(pixels, size);
    struct wl_shm_pool* pool = wl_shm_create_pool(shm, fd, size);
    struct wl_buffer* buffer =
        wl_shm_pool_create_buffer(pool, 0, width, height, stride, WL_SHM_FORMAT_XRGB8888);
    wl_shm_pool_destroy(pool);
    close(fd);
    return buffer;
}

int main(void) {
    struct wl_display* display = wl_display_connect(NULL);
    if (!display) {
        perror("cannot connect to the Wayland display");
        return 1;
    }
    static const struct wl_registry_listener registry_listener = {global, global_remove};
    struct wl_registry* registry = wl_display_get_registry(display);
    wl_registry_add_listener(registry, &registry_listener, NULL);
    wl_display_roundtrip(display);
    if (!compositor || !shm || !wm_base || !inhibit_manager) {
        fprintf(stderr,
                "the compositor lacks wl_compositor, wl_shm, xdg_wm_base or "
                "zwp_idle_inhibit_manager_v1\n");
        return 2;
    }
    static const struct xdg_wm_base_listener wm_base_listener = {ping};
    xdg_wm_base_add_listener(wm_base, &wm_base_listener, NULL);

    struct wl_surface* surface = wl_compositor_create_surface(compositor);
    struct xdg_surface* xdg_surface = xdg_wm_base_get_xdg_surface(wm_base, surface);
    static const struct xdg_surface_listener surface_listener = {surface_configure};
    xdg_surface_add_listener(xdg_surface, &surface_listener, NULL);
    struct xdg_toplevel* toplevel = xdg_surface_get_toplevel(xdg_surface);
    static const struct xdg_toplevel_listener toplevel_listener = {.configure = toplevel_configure,
                                                                   .close = toplevel_close};
    xdg_toplevel_add_listener(toplevel, &toplevel_listener, NULL);
    xdg_toplevel_set_app_id(toplevel, "idle-inhibitor");
    wl_surface_commit(surface);
    while (!configured)
        if (wl_display_dispatch(display) < 0) return 3;

    struct wl_buffer* buffer = grey_buffer();
    if (!buffer) return 4;
    struct zwp_idle_inhibitor_v1* inhibitor =
        zwp_idle_inhibit_manager_v1_create_inhibitor(inhibit_manager, surface);
    wl_surface_attach(surface, buffer, 0, 0);
    wl_surface_damage(surface, 0, 0, width, height);
    wl_surface_commit(surface);
    wl_display_roundtrip(display);
    printf("inhibiting\n");
    fflush(stdout);

    struct pollfd fds[] = {{STDIN_FILENO, POLLIN, 0}, {wl_display_get_fd(display), POLLIN, 0}};
    char byte;
    for (;;) {
        wl_display_flush(display);
        if (poll(fds, 2, -1) < 0) return 5;
        if (fds[0].revents && read(STDIN_FILENO, &byte, 1) <= 0) break;
        if (fds[1].revents && wl_display_dispatch(display) < 0) return 6;
    }
    zwp_idle_inhibitor_v1_destroy(inhibitor);
    wl_buffer_destroy(buffer);
    xdg_toplevel_destroy(toplevel);
    xdg_surface_destroy(xdg_surface);
    wl_surface_destroy(surface);
    zwp_idle_inhibit_manager_v1_destroy(inhibit_manager);
    xdg_wm_base_destroy(wm_base);
    wl_shm_destroy(shm);
    wl_compositor_destroy(compositor);
    wl_registry_destroy(registry);
    wl_display_disconnect(display);
    return 0;
}
