# Claim GV3, figure: Var/E||g||^2 of the wave class {sin(2 pi a x): a ~ U[A, 2A]} vs A
# (log-log), x ~ N(0,1) by quadrature, 1-32-1 ReLU: every seed (points), mean (line), the
# explicit bound ||g mu||^2/(2A) / E||g||^2 (dashed), fitted slope in the key, A^(-1/2) ref.
# Every wave: the triangle and the sawtooth (16 harmonics computed exactly; the error bars are
# the rigorous bracket [var_lo, var_hi] of the full wave, mean over seeds), A = 2..16.
# Reads resdir/wave.csv, resdir/wave_mean.csv, resdir/wave_series_mean.csv and resdir/fits.gp
# (slope_wave, se_wave, slope_triangle, se_triangle, slope_sawtooth, se_sawtooth).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
set datafile separator comma
load resdir."/fits.gp"
fa = resdir."/wave.csv"
fm = resdir."/wave_mean.csv"
fs = resdir."/wave_series_mean.csv"
if (!exists("slope_triangle")) { slope_triangle = NaN; se_triangle = NaN }
if (!exists("slope_sawtooth")) { slope_sawtooth = NaN; se_sawtooth = NaN }
stats fm skip 1 using 1 nooutput
amin = STATS_min; amax = STATS_max
stats fm skip 1 every ::0::0 using 2 nooutput
v0 = STATS_max
set logscale xy 2
set format y "10^{%L}"
set logscale y 10
set xrange [amin/1.3:amax*1.3]
set xlabel "lowest frequency A (a ∼ U[A, 2A])"
set ylabel "Var / E||g||^2"
set grid
set key bottom left
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 800,600 font ",11"; set output figdir."/gradient_variance_wave.png" }
  if (fmt eq "svg") { set terminal svg size 800,600 font ",11"; set output figdir."/gradient_variance_wave.svg" }
  set title "Waves {ψ(ax)}: exact gradient variance, 1-32-1 ReLU, x ∼ N(0,1)"
  plot fa skip 1 using 1:7 with points pt 7 ps 0.6 lc 1 title "each seed", \
       fm skip 1 using 1:2 with linespoints lw 2 pt 7 lc 1 title sprintf("mean: fitted slope %.2f ± %.2f", slope_wave, se_wave), \
       fm skip 1 using 1:3 with linespoints lw 2 dt 2 pt 6 lc 2 title "explicit bound ||gμ||^2/(2A) / E||g||^2", \
       fs skip 1 using 1:2:3:4 with yerrorlines lw 2 pt 5 lc 3 title sprintf("triangle, bracket of the full wave: slope %.2f ± %.2f", slope_triangle, se_triangle), \
       fs skip 1 using 1:5:6:7 with yerrorlines lw 2 pt 9 lc 4 title sprintf("sawtooth, bracket of the full wave: slope %.2f ± %.2f", slope_sawtooth, se_sawtooth), \
       v0*(x/amin)**(-0.5) with lines dt 4 lw 2 lc rgb "gray30" title "∝ A^{-1/2} ([T+23])", \
       v0*(x/amin)**(-2) with lines dt 5 lw 1 lc rgb "black" title "∝ A^{-2}"
  unset output
}
