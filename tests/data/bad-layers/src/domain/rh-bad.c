// SPDX-License-Identifier: GPL-3.0-or-later
/* a fixture: the layer check must reject this file */
#include <sqlite3.h>
