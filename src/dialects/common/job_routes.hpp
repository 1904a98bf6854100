#pragma once
// Job test mode (`testing.echo_routes = true`, never on by default): the durable job
// queue seen from outside, for black-box tests of several instances on one database.
//   GET  /__atrium/instance        {"id": this instance's id (the lease owner it uses)}
//   POST /__atrium/jobs            {"kind": k, "payload": text, "max_attempts": n}
//                                   -> 201 the job (kind "testing.sleep" is run here)
//   GET  /__atrium/jobs/:id        the job: state, attempts, progress, lease, result
//   GET  /__atrium/jobs?kind=k     the newest jobs of a kind
//   DELETE /__atrium/jobs/:id      {"cancelled": bool}
// A job is rendered as {id, kind, owner, state, attempts, max_attempts, progress:
// {done, total, fraction, message}, result, error, lease_owner}.

#include <string>

#include "http/site.hpp"

namespace atrium::core::jobs {
class JobQueue;
}

namespace atrium::dialects {

void AddJobTestRoutes(http::Site& site, core::jobs::JobQueue& queue, std::string instance_id);

}  // namespace atrium::dialects
