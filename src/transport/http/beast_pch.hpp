#pragma once
// Precompiled for the transport only: Beast and Asio are the slowest headers we use.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
