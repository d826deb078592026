// Debian's libopenblas-dev installs cblas.h on the default include path (via alternatives).
#include <cblas.h>
// Thread control: lna owns the threads; BLAS runs single-threaded inside our parallel loops
// or with all threads for one large product, never both at once.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
