#pragma once

#include <gio/gio.h>

#include <functional>
#include <string>

// Small RAII helpers over GDBus for the sources on the bus. Nothing here waits on a peer: calls
// are asynchronous and their replies come back to the GLib context of the daemon's thread.
namespace postured::gdbus {

// Calls a method; `reply` gets the reply, or nullptr and the error, unless `cancel` was
// cancelled first (the caller is gone, so nothing is called).
using Reply = std::function<void(GVariant* reply, const GError* error)>;
void call(GDBusConnection* bus, const char* name, const char* path, const char* interface,
          const char* method, GVariant* args, GCancellable* cancel, Reply reply);
// org.freedesktop.DBus.Properties.Get; `reply` gets the value itself.
void get_property(GDBusConnection* bus, const char* name, const char* path, const char* interface,
                  const char* property, GCancellable* cancel, Reply reply);

// Follows who owns a name on the bus, without activating it: `appeared` with the owner's unique
// name, `vanished` when it goes (also at the start when nobody owns it).
class NameWatch {
  public:
    NameWatch(GDBusConnection* bus, const char* name,
              std::function<void(const std::string& owner)> appeared,
              std::function<void()> vanished);
    ~NameWatch();
    NameWatch(const NameWatch&) = delete;
    NameWatch& operator=(const NameWatch&) = delete;

  private:
    guint id_;
    std::function<void(const std::string&)> appeared_;
    std::function<void()> vanished_;
};

// A signal subscription for as long as the object lives. Null arguments match anything.
class Subscription {
  public:
    using Handler = std::function<void(const char* member, GVariant* parameters)>;
    Subscription(GDBusConnection* bus, const char* sender, const char* interface,
                 const char* member, const char* path, const char* arg0, Handler handler);
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

  private:
    GDBusConnection* bus_;
    guint id_;
    Handler handler_;
};

// Follows one property of an object: `changed` gets its value now, when it can be read, and at
// every PropertiesChanged that carries it, for as long as the object lives.
class PropertyWatch {
  public:
    using Changed = std::function<void(GVariant* value)>;
    PropertyWatch(GDBusConnection* bus, const char* sender, const char* path, const char* interface,
                  const char* property, GCancellable* cancel, Changed changed);

  private:
    std::string property_;
    Changed changed_;
    Subscription subscription_;
};

// A GCancellable that cancels when it goes out of scope.
class Cancellable {
  public:
    Cancellable() : cancellable_(g_cancellable_new()) {}
    ~Cancellable() {
        g_cancellable_cancel(cancellable_);
        g_object_unref(cancellable_);
    }
    Cancellable(const Cancellable&) = delete;
    Cancellable& operator=(const Cancellable&) = delete;
    operator GCancellable*() const { return cancellable_; }

  private:
    GCancellable* cancellable_;
};

}  // namespace postured::gdbus
