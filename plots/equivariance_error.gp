# Claim EQ1, figure: equivariance error max_x |f_B(g x) - f_A(x)| per step (max over depths
# 2-4) for each learner, one panel per input law x group, log y. Equivariant learners sit at
# rounding level; the coordinatewise controls (Adam, coordinatewise clipping) sit there under
# B_n and far above under O(d). Dashed: the test thresholds 1e-9 (pass) and 1e-4 (control).
# Reads resdir/equivariance_error_max.csv (setup,algo,step,err_max; floored at 1e-17).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
reset
set datafile separator comma
f = resdir."/equivariance_error_max.csv"
array SN[3] = ["hypercube, G = B_n", "Gaussian inputs, G = O(d)", "sphere inputs, G = O(d)"]
array AN[5] = ["GD", "online SGD", "noisy GD + l2 clip", "Adam (control)", "coordinatewise clip (control)"]
array DT[5] = [1, 1, 1, 2, 4]
stats f skip 1 using 3 nooutput
tmax = STATS_max
set logscale y
set yrange [1e-18:10]
set xrange [0:tmax]
set format y "10^{%L}"
set xlabel "step"
set grid
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1500,520 font ",10"; set output figdir."/equivariance_error.png" }
  if (fmt eq "svg") { set terminal svg size 1500,520 font ",10"; set output figdir."/equivariance_error.svg" }
  set multiplot layout 1,3 title "EQ1: max_x |f_B(g x) - f_A(x)| per step (max over depths 2, 3, 4)"
  do for [s=0:2] {
    set title SN[s+1]
    if (s == 0) { set ylabel "equivariance error" } else { unset ylabel }
    if (s == 2) { set key bottom right font ",9" } else { unset key }
    plot for [a=0:4] f skip 1 using 3:(($1==s && $2==a) ? $4 : 1/0) with lines lw 2 dt DT[a+1] lc a+1 title AN[a+1], \
         1e-9 with lines dt 2 lc rgb "gray30" title "pass threshold 1e-9", \
         1e-4 with lines dt 3 lc rgb "gray50" title "control threshold 1e-4"
  }
  unset multiplot
  unset output
}
