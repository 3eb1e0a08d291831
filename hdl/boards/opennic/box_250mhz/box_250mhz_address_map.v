// SPDX-License-Identifier: Apache-2.0
// Read by OpenNIC's build.tcl for every 250 MHz box plugin. nsgnic needs no address map (the
// plugin decodes its own window, DECERR outside it): intentionally no module here.
