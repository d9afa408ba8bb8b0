/*
 * unifier — the umbrella header: everything a program needs to parse,
 * build, generate, serialize and fingerprint SQL.
 */
#ifndef UNIFIER_UNIFIER_H
#define UNIFIER_UNIFIER_H

#define UF_VERSION "0.1.0"
#define UF_VERSION_MAJOR 0
#define UF_VERSION_MINOR 1
#define UF_VERSION_PATCH 0

#include "unifier/status.h"
#include "unifier/ast.h"
#include "unifier/sql.h"
#include "unifier/builder.h"
#include "unifier/schema.h"
#include "unifier/opt.h"
#include "unifier/compile.h"
#include "unifier/params.h"
#include "unifier/safety.h"
#include "unifier/diag.h"
#include "unifier/arrow_abi.h"
#include "unifier/engine.h"
#include "unifier/io.h"
#include "unifier/catalog.h"

#endif
