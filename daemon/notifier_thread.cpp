#include "notifier_thread.hpp"

#include <future>

namespace postured {

NotifierThread::NotifierThread(const Make& make)
    : context_(g_main_context_new()), loop_(g_main_loop_new(context_, FALSE)) {
    // libnotify and GDBus deliver answers and signals to the context that was thread-default
    // where they were first called, so that must be this thread's.
    thread_ = std::thread([this] {
        g_main_context_push_thread_default(context_);
        g_main_loop_run(loop_);
        g_main_context_pop_thread_default(context_);
    });
    call([&] { notifier_ = make(); });
}

NotifierThread::~NotifierThread() {
    call([this] {
        notifier_.reset();
        g_main_loop_quit(loop_);
    });
    thread_.join();
    g_main_loop_unref(loop_);
    g_main_context_unref(context_);
}

void NotifierThread::configure(const Config::Notify& style) {
    post([this, style] { notifier_->configure(style); });
}

void NotifierThread::show(const ShowBreak& request) {
    post([this, request] { notifier_->show(request); });
}

void NotifierThread::close() {
    post([this] { notifier_->close(); });
}

void NotifierThread::post(std::function<void()> work) {
    auto run = [](gpointer data) {
        (*static_cast<std::function<void()>*>(data))();
        return G_SOURCE_REMOVE;
    };
    auto destroy = [](gpointer data) { delete static_cast<std::function<void()>*>(data); };
    g_main_context_invoke_full(context_, G_PRIORITY_DEFAULT, run,
                               new std::function<void()>(std::move(work)), destroy);
}

void NotifierThread::call(std::function<void()> work) {
    std::promise<void> done;
    post([&] {
        work();
        done.set_value();
    });
    done.get_future().wait();
}

}  // namespace postured
