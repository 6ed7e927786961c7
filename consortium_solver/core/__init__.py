"""The base every part stands on: errors (:mod:`.errors`), the limits and the one clock every task
asks (:mod:`.clock`), the options every task shares (:mod:`.options`), how the hot loops are
compiled (:mod:`.native`), and distances on the Earth (:mod:`.geo`). Nothing here imports another
part of the package."""
