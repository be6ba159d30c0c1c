#include "gdbus.hpp"

namespace postured::gdbus {

void call(GDBusConnection* bus, const char* name, const char* path, const char* interface,
          const char* method, GVariant* args, GCancellable* cancel, Reply reply) {
    auto done = [](GObject* source, GAsyncResult* result, gpointer data) {
        auto* handler = static_cast<Reply*>(data);
        GError* error = nullptr;
        GVariant* value = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
        if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) (*handler)(value, error);
        if (value) g_variant_unref(value);
        g_clear_error(&error);
        delete handler;
    };
    g_dbus_connection_call(bus, name, path, interface, method, args, nullptr,
                           G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, cancel, done,
                           new Reply(std::move(reply)));
}

void get_property(GDBusConnection* bus, const char* name, const char* path, const char* interface,
                  const char* property, GCancellable* cancel, Reply reply) {
    call(bus, name, path, "org.freedesktop.DBus.Properties", "Get",
         g_variant_new("(ss)", interface, property), cancel,
         [reply = std::move(reply)](GVariant* value, const GError* error) {
             if (!value) return reply(nullptr, error);
             GVariant* inner = nullptr;
             g_variant_get(value, "(v)", &inner);
             reply(inner, nullptr);
             g_variant_unref(inner);
         });
}

NameWatch::NameWatch(GDBusConnection* bus, const char* name,
                     std::function<void(const std::string&)> appeared,
                     std::function<void()> vanished)
    : appeared_(std::move(appeared)), vanished_(std::move(vanished)) {
    auto on_appeared = [](GDBusConnection*, const gchar*, const gchar* owner, gpointer self) {
        static_cast<NameWatch*>(self)->appeared_(owner);
    };
    auto on_vanished = [](GDBusConnection*, const gchar*, gpointer self) {
        static_cast<NameWatch*>(self)->vanished_();
    };
    id_ = g_bus_watch_name_on_connection(bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE, on_appeared,
                                         on_vanished, this, nullptr);
}

NameWatch::~NameWatch() {
    g_bus_unwatch_name(id_);
}

Subscription::Subscription(GDBusConnection* bus, const char* sender, const char* interface,
                           const char* member, const char* path, const char* arg0, Handler handler)
    : bus_(G_DBUS_CONNECTION(g_object_ref(bus))), handler_(std::move(handler)) {
    auto on_signal = [](GDBusConnection*, const gchar*, const gchar*, const gchar*,
                        const gchar* signal, GVariant* parameters, gpointer self) {
        static_cast<Subscription*>(self)->handler_(signal, parameters);
    };
    id_ = g_dbus_connection_signal_subscribe(bus, sender, interface, member, path, arg0,
                                             G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
}

Subscription::~Subscription() {
    g_dbus_connection_signal_unsubscribe(bus_, id_);
    g_object_unref(bus_);
}

PropertyWatch::PropertyWatch(GDBusConnection* bus, const char* sender, const char* path,
                             const char* interface, const char* property, GCancellable* cancel,
                             Changed changed)
    : property_(property),
      changed_(std::move(changed)),
      subscription_(bus, sender, "org.freedesktop.DBus.Properties", "PropertiesChanged", path,
                    interface, [this](const char*, GVariant* parameters) {
                        GVariant* properties = g_variant_get_child_value(parameters, 1);
                        if (GVariant* value =
                                g_variant_lookup_value(properties, property_.c_str(), nullptr)) {
                            changed_(value);
                            g_variant_unref(value);
                        }
                        g_variant_unref(properties);
                    }) {
    get_property(bus, sender, path, interface, property, cancel,
                 [this](GVariant* value, const GError*) {
                     if (value) changed_(value);
                 });
}

}  // namespace postured::gdbus
