// Fixture for the layering check: the engine may not depend on the catalog.
#include "library/Catalog.h"
#include "images/ImageLoader.h"
