// The script for a testimonial wall that brands embed with an iframe: <script src=".../sharetrack-wall.js"
// defer>. It defines <sharetrack-widget> for the host page's tracker (embed-frame.ts), which lists
// this wall's origin in its embed origins; it carries no engine, since the host page's does the
// tracking.
import { EmbedFrame } from './embed-frame.js';
import { ShareTrackWidget } from './widget.js';

ShareTrackWidget.define(new EmbedFrame());
