// Installed only in a test's own home: org.gnome.Shell.Eval answers in unsafe mode alone.
function init() {
    return {
        enable() { global.context.unsafe_mode = true; },
        disable() { global.context.unsafe_mode = false; },
    };
}
