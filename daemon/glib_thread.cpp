#include "glib_thread.hpp"

#include <pthread.h>

#include <future>

namespace postured {

GlibThread::GlibThread(const char* name)
    : context_(g_main_context_new()), loop_(g_main_loop_new(context_, FALSE)) {
    thread_ = std::thread([this, name] {
        pthread_setname_np(pthread_self(), name);
        g_main_context_push_thread_default(context_);
        g_main_loop_run(loop_);
        g_main_context_pop_thread_default(context_);
    });
}

GlibThread::~GlibThread() {
    call([this] { g_main_loop_quit(loop_); });
    thread_.join();
    g_main_loop_unref(loop_);
    g_main_context_unref(context_);
}

void GlibThread::post(std::function<void()> work) {
    auto run = [](gpointer data) {
        (*static_cast<std::function<void()>*>(data))();
        return G_SOURCE_REMOVE;
    };
    auto destroy = [](gpointer data) { delete static_cast<std::function<void()>*>(data); };
    g_main_context_invoke_full(context_, G_PRIORITY_DEFAULT, run,
                               new std::function<void()>(std::move(work)), destroy);
}

void GlibThread::call(const std::function<void()>& work) {
    std::promise<void> done;
    post([&] {
        work();
        done.set_value();
    });
    done.get_future().wait();
}

}  // namespace postured
