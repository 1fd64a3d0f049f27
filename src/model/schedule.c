/* schedule.c — the learning-rate schedule: linear warm-up, cosine decay. */
#include <math.h>

#include "model/model_int.h"

float cs_model_lr(const cs_lr_schedule_t *s, uint64_t step) {
  if (step < s->warmup_steps)
    return s->max_lr * (float)((double)(step + 1) / (double)s->warmup_steps);
  if (step >= s->total_steps) return s->min_lr;
  double ratio = (double)(step - s->warmup_steps) / (double)(s->total_steps - s->warmup_steps);
  double coeff = 0.5 * (1.0 + cos(3.141592653589793 * ratio));
  return (float)(s->min_lr + coeff * (double)(s->max_lr - s->min_lr));
}
