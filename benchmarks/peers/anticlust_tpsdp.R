# One run of R anticlust's three-phase search (three_phase_search_anticlustering, a C implementation
# of Yang et al.'s TPSDP) on an MDGPLIB instance, for a CPU-time budget.
#
#   Rscript anticlust_tpsdp.R INSTANCE SECONDS SEED
#
# anticlust counts iterations, not time: two short runs (PROBES iterations) measure the CPU time of
# the start (the initial population) and of an iteration, and the run proper gets as many
# iterations as fit the budget; when it ends more than 10 % off the budget, it runs again with the
# iterations scaled to the time it took. Prints one line
# "cpu_seconds iterations" then the groups (0-based), one line; the caller computes the value.
# Exit 3 when the instance's size bounds differ from group to group (anticlust takes one range for
# all groups, or fixed sizes).

PROBES <- c(10L, 40L)

args <- commandArgs(trailingOnly = TRUE)
path <- args[[1]]
budget <- as.numeric(args[[2]])
seed <- as.integer(args[[3]])

suppressPackageStartupMessages(library(anticlust))

header <- scan(path, what = "", nlines = 1, quiet = TRUE)
n <- as.integer(header[[1]])
k <- as.integer(header[[2]])
bounds <- matrix(as.integer(header[-(1:3)]), ncol = 2, byrow = TRUE)
edges <- read.table(path, skip = 1, col.names = c("i", "j", "d"))
d <- matrix(0, n, n)
d[cbind(edges$i + 1, edges$j + 1)] <- edges$d
d <- d + t(d)

sizes <- list()
if (all(bounds[, 1] == bounds[, 2])) {
  sizes$clusters <- bounds[, 1]
} else if (length(unique(bounds[, 1])) == 1 && length(unique(bounds[, 2])) == 1) {
  sizes$lower_bound <- bounds[1, 1]
  sizes$upper_bound <- bounds[1, 2]
} else {
  message("anticlust takes one size range for all groups; this instance's ranges differ")
  quit(status = 3)
}

search <- function(iterations) {
  set.seed(seed)
  before <- proc.time()[["user.self"]]
  groups <- do.call(three_phase_search_anticlustering,
                    c(list(as.dist(d), K = k, N = n, number_iterations = iterations), sizes))
  list(groups = groups, cpu = proc.time()[["user.self"]] - before)
}

short <- search(PROBES[[1]])$cpu
long <- search(PROBES[[2]])$cpu
each <- max((long - short) / (PROBES[[2]] - PROBES[[1]]), 1e-6)
start <- max(short - each * PROBES[[1]], 0)
iterations <- max(1L, as.integer(round((budget - start) / each)))
run <- search(iterations)
if (abs(run$cpu - budget) > 0.1 * budget) {
  iterations <- max(1L, as.integer(round(iterations * budget / max(run$cpu, 1e-3))))
  run <- search(iterations)
}
cat(sprintf("%.3f %d\n", run$cpu, iterations))
cat(run$groups - 1L, "\n")
